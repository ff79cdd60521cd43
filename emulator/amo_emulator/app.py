"""Starlette application factory: API routes behind the gateway, OAuth, control API."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from . import (
    api_account,
    api_catalogs,
    api_contacts,
    api_custom_fields,
    api_leads,
    api_links,
    api_notes_events,
    api_pipelines,
    control_api,
    hosts,
    oauth,
)
from .gateway import api_not_found, api_route
from .problems import problem
from .state import EmulatorState

API_MODULES = (
    api_account,
    api_pipelines,
    api_custom_fields,
    api_catalogs,
    api_contacts,
    api_leads,
    api_links,
    api_notes_events,
)
ALL_METHODS = ["GET", "POST", "PATCH", "PUT", "DELETE"]


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    return problem(status, "Not found" if status == 404 else str(getattr(exc, "detail", "Error")))


def create_app(state: EmulatorState | None = None) -> Starlette:
    routes = [api_route(path, handler, methods) for module in API_MODULES for path, methods, handler in module.ROUTES]
    # Unknown API paths still need a token and count against the limit, then answer 404.
    routes.append(api_route("/api/v4/{rest:path}", api_not_found, ALL_METHODS))
    routes.append(Route(oauth.TOKEN_PATH, oauth.access_token_endpoint, methods=["POST"]))
    routes.extend(hosts.ROUTES)
    routes.extend(control_api.ROUTES)
    app = Starlette(
        routes=routes,
        exception_handlers={404: _http_error, 405: _http_error},
        middleware=[Middleware(hosts.HostRouter)],
    )
    app.state.emulator = state or EmulatorState()
    return app
