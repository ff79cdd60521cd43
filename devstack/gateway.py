"""A local API Gateway (HTTP API, payload format 2.0) in front of the real handlers.

Routes are the template's HttpApi events; each request becomes the v2 event
Lambda would receive, and the handler's answer becomes the HTTP response.
"""

from __future__ import annotations

import base64
import logging
import threading
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route as StarletteRoute

from devstack.functions import FunctionRegistry
from devstack.template import Route, Template

_TEXT_TYPES = ("application/json", "application/x-www-form-urlencoded", "text/")

# Powertools keeps the request being resolved on a class attribute (`BaseRouter.current_event`) shared by
# every resolver of a process. On AWS each Lambda instance is a process of its own that handles one request
# at a time, so two requests never share it; here all functions share one process, so the gateway lets one
# HTTP invocation run at a time (otherwise a widget call could read a concurrent DP hook's headers).
_ONE_REQUEST_AT_A_TIME = threading.Lock()


def match_route(routes: list[Route], method: str, path: str) -> tuple[Route, dict[str, str]] | None:
    for route in routes:
        found = route.pattern.match(path)
        if found and route.method in (method, "ANY"):
            return route, found.groupdict()
    return None


def to_event(request: Request, route: Route, path_params: dict[str, str], body: bytes) -> dict[str, Any]:
    """The API Gateway HTTP API v2 event for this request."""
    headers: dict[str, str] = {}
    for key, value in request.headers.items():
        key = key.lower()
        headers[key] = f"{headers[key]},{value}" if key in headers and key != "cookie" else value
    query: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        query[key] = f"{query[key]},{value}" if key in query else value
    content_type = headers.get("content-type", "")
    is_text = not body or content_type.startswith(_TEXT_TYPES)
    now = datetime.now(UTC)
    return {
        "version": "2.0",
        "routeKey": f"{route.method} {route.path}",
        "rawPath": request.url.path,
        "rawQueryString": request.url.query,
        "cookies": [c.strip() for c in headers.pop("cookie", "").split(";") if c.strip()] or None,
        "headers": headers,
        "queryStringParameters": query or None,
        "pathParameters": path_params or None,
        "requestContext": {
            "accountId": "000000000000",
            "apiId": "local",
            "domainName": headers.get("host", "localhost"),
            "domainPrefix": headers.get("host", "localhost").split(".")[0],
            "http": {
                "method": request.method,
                "path": request.url.path,
                "protocol": "HTTP/1.1",
                "sourceIp": request.client.host if request.client else "127.0.0.1",
                "userAgent": headers.get("user-agent", ""),
            },
            "requestId": str(uuid.uuid4()),
            "routeKey": f"{route.method} {route.path}",
            "stage": "$default",
            "time": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "timeEpoch": int(time.time() * 1000),
        },
        "body": (body.decode("utf-8") if is_text else base64.b64encode(body).decode()) if body else None,
        "isBase64Encoded": bool(body) and not is_text,
        "stageVariables": None,
    }


def to_response(result: Any) -> Response:
    """Lambda's v2 answer (or a bare JSON value, as API Gateway accepts) as an HTTP response."""
    if not isinstance(result, dict) or "statusCode" not in result:
        return JSONResponse(result)
    body = result.get("body") or ""
    raw = base64.b64decode(body) if result.get("isBase64Encoded") else body.encode("utf-8")
    response = Response(content=raw, status_code=int(result["statusCode"]))
    for key, value in (result.get("headers") or {}).items():
        response.headers[key] = str(value)
    for key, values in (result.get("multiValueHeaders") or {}).items():
        for value in values:
            response.headers.append(key, str(value))
    for cookie in result.get("cookies") or []:
        response.headers.append("set-cookie", cookie)
    return response


def _invoke_alone(functions: FunctionRegistry, logical_id: str, event: dict[str, Any]) -> Any:
    with _ONE_REQUEST_AT_A_TIME:
        return functions.invoke(logical_id, event)


def _periodic_then_schedules(scheduler: Any, event_scheduler: Any, now: datetime) -> dict[str, Any]:
    """The periodic jobs run first, as they would have while time passed (the keep-alive keeps the
    tokens the fires then use); `fired` lists the schedules sent, `periodic` the functions run."""
    event_scheduler.advance_clock(now)
    periodic = scheduler.run_due(now) if scheduler is not None else []
    fired = event_scheduler.run_due(now)
    return {"fired": fired, "periodic": periodic}


def create_gateway(
    template: Template,
    functions: FunctionRegistry,
    scheduler: Any = None,
    event_scheduler: Any = None,
    idle: Any = None,
) -> Starlette:
    routes = template.routes()

    async def dispatch(request: Request) -> Response:
        found = match_route(routes, request.method, request.url.path)
        if found is None:
            return JSONResponse({"message": "Not Found"}, status_code=404)
        route, params = found
        event = to_event(request, route, params, await request.body())
        try:
            result = await run_in_threadpool(_invoke_alone, functions, route.function, event)
        except Exception:  # an unhandled error in a Lambda is a 500 at API Gateway
            logging.getLogger("devstack.gateway").exception("%s raised", route.function)
            return JSONResponse({"message": "Internal Server Error"}, status_code=500)
        return to_response(result)

    async def health(_: Request) -> Response:
        return JSONResponse({"ok": True, "routes": [f"{r.method} {r.path}" for r in routes]})

    async def run_schedule(request: Request) -> Response:
        """Invoke a scheduled function now (what EventBridge would do at its next tick)."""
        name = request.path_params["name"]
        if scheduler is None or name not in scheduler.functions:
            return JSONResponse({"message": f"no scheduled function {name}"}, status_code=404)
        try:
            result = await run_in_threadpool(scheduler.run_now, name)
        except Exception as err:
            logging.getLogger("devstack.gateway").exception("%s raised", name)
            return JSONResponse({"message": f"{type(err).__name__}: {err}"}, status_code=500)
        return JSONResponse({"function": name, "result": result})

    async def run_due(request: Request) -> Response:
        """The simulated clock: move the emulator's clock to `{"now": ISO}`, run the template's periodic
        functions due by then (`Scheduler.run_due`), then fire every EventBridge schedule due by then."""
        if event_scheduler is None:
            return JSONResponse({"message": "no event scheduler"}, status_code=404)
        from devstack.event_scheduler import parse_now

        try:
            now = parse_now(await request.body())
        except ValueError as err:
            return JSONResponse({"message": f"bad now: {err}"}, status_code=400)
        try:
            jobs = await run_in_threadpool(_periodic_then_schedules, scheduler, event_scheduler, now)
        except Exception as err:
            logging.getLogger("devstack.gateway").exception("run-due failed")
            return JSONResponse({"message": f"{type(err).__name__}: {err}"}, status_code=500)
        return JSONResponse({"now": now.isoformat(), **jobs})

    async def wait_idle(request: Request) -> Response:
        """Answers once nothing is in flight (devstack/idle.py), or with 503 and what is busy after `timeout` s."""
        if idle is None:
            return JSONResponse({"message": "no idle probe"}, status_code=404)
        try:
            timeout = min(float(request.query_params.get("timeout", "30")), 300.0)
        except ValueError:
            return JSONResponse({"message": "bad timeout"}, status_code=400)
        quiet, busy, waited = await run_in_threadpool(idle.wait, timeout)
        answer = {"idle": quiet, "waited": round(waited, 3), "busy": busy}
        return JSONResponse(answer, status_code=200 if quiet else 503)

    methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"]
    return Starlette(
        routes=[
            StarletteRoute("/_devstack/health", health, methods=["GET"]),
            StarletteRoute("/_devstack/schedule/{name}", run_schedule, methods=["POST"]),
            StarletteRoute("/_devstack/scheduler/run-due", run_due, methods=["POST"]),
            StarletteRoute("/_devstack/idle", wait_idle, methods=["GET"]),
            StarletteRoute("/{path:path}", dispatch, methods=methods),
        ]
    )
