"""The path every ``/api/v4`` request takes before and after its handler.

Order: identify the account by its bearer token (401), log, block (403), rate
limit (429), injected fault, then the handler under the state lock.  Handlers
are plain synchronous functions of an ``ApiContext``.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from . import oauth
from .faults import run_faulted
from .hosts import addressed
from .paging import Page, parse_page
from .problems import problem
from .query import parse_nested, parse_with, query_lists
from .ratelimit import BLOCKED, LIMITED, blocked, too_many_requests
from .state import Account, EmulatorState

log = logging.getLogger("amo_emulator")
_WRITE_METHODS = ("POST", "PATCH", "PUT", "DELETE")


@dataclass
class ApiContext:
    request: Request
    state: EmulatorState
    account: Account
    user_id: int
    query: dict[str, Any]
    body: Any

    @property
    def base(self) -> str:
        return str(self.request.base_url).rstrip("/")

    @property
    def now(self) -> int:
        return self.state.clock.now_int()

    def path_int(self, name: str) -> int:
        return int(self.request.path_params[name])

    @property
    def with_(self) -> set[str]:
        return parse_with(self.request.query_params.get("with"))

    @property
    def filter(self) -> dict[str, Any]:
        flt = self.query.get("filter")
        return flt if isinstance(flt, dict) else {}

    def page(self, max_limit: int = 250, default_limit: int = 50) -> Page | Response:
        return parse_page(self.query, max_limit=max_limit, default_limit=default_limit)


Handler = Callable[[ApiContext], Response]


class _BadJson(ValueError):
    pass


def _parse_body(raw: bytes) -> Any:
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except ValueError as err:
        raise _BadJson(str(err)) from err


def _template(path: str) -> str:
    return re.sub(r"\{(\w+)(:\w+)?\}", r"{\1}", path)


def api_route(path: str, handler: Handler, methods: list[str]) -> Route:
    template = _template(path)

    async def endpoint(request: Request) -> Response:
        return await _gate(request, handler, f"{request.method} {template}")

    return Route(path, endpoint, methods=methods)


async def _gate(request: Request, handler: Handler, template: str) -> Response:
    state: EmulatorState = request.app.state.emulator
    auth = oauth.authenticate(state, request.headers.get("authorization"))
    if auth.account is None or auth.pair is None:
        return problem(401, auth.error or "Unauthorized")
    account, pair = auth.account, auth.pair
    with state.lock:
        where = addressed(state, request.headers)
    if not where.serves(account):
        return problem(401, "The token belongs to another account")
    raw = await request.body()
    method = request.method
    try:
        body = _parse_body(raw) if method in _WRITE_METHODS else None
        bad_json = None
    except _BadJson as err:
        body, bad_json = None, str(err)
    with state.lock:
        now = state.clock.now()
        entry = account.log.open(
            ts=now,
            method=method,
            path=request.url.path,
            template=template,
            query=query_lists(request.query_params.multi_items()),
            body=body,
            user_id=pair.user_id,
            host=where.host,
        )
        fault = None
        if auth.error:
            response: Response | None = problem(401, auth.error)
        else:
            oauth.mark_used(pair)
            decision = account.limiter.check(now)
            response = None
            if decision == BLOCKED:
                entry.blocked = True
                response = blocked()
            elif decision == LIMITED:
                entry.rate_limited = True
                response = too_many_requests(account.limits)
            else:
                fault = account.faults.pick(method, request.url.path)
                entry.fault = fault.kind if fault else None
    if response is None:
        ctx = ApiContext(
            request=request,
            state=state,
            account=account,
            user_id=pair.user_id,
            query=parse_nested(request.query_params.multi_items()),
            body=body,
        )

        def execute() -> Response:
            if bad_json is not None:
                return problem(400, f"Request body is not valid JSON: {bad_json}")
            with state.lock:
                try:
                    return handler(ctx)
                except Exception:
                    trace_id = secrets.token_hex(16)
                    log.exception("handler failed (trace_id=%s)", trace_id)
                    return problem(500, "Internal server error", trace_id=trace_id)

        response = await run_faulted(fault, account.limits, execute)
    entry.status = response.status_code
    return response


def api_not_found(ctx: ApiContext) -> Response:
    return problem(404, "Not found")
