"""Which host a request addressed, and the shared API host's one call (the subdomain lookup).

amoCRM answers an account's API on that account's host, `{subdomain}.{base_domain}`; the
token's `api_domain` names a *shared* host (`api-b.amocrm.ru`) that the SDK uses only for
`GET /oauth2/account/current/subdomain` with `X-Refresh-Token` (facts: Hosts, C via the SDK).

A request to 127.0.0.1/localhost addresses the emulator itself ("direct") and may reach any
account: emulator tests call the server by its URL. A client that maps amoCRM's hosts onto the
emulator (a DNS override, like `dealcopy.amo.loopback`) keeps the real name in `Host`, and then:
- an account's host serves that account only (another account's token: 401);
- a shared API host serves only the subdomain lookup;
- any other host, such as a renamed account's old subdomain, answers 404 (U: amoCRM's answer
  for a dead subdomain is undocumented; the SDK treats 404 and 401 alike there).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .problems import json_response, problem
from .state import Account, EmulatorState

LOOKUP_PATH = "/oauth2/account/current/subdomain"
CONTROL_PREFIX = "/_emulator"
_SHARED = re.compile(r"api-[a-z0-9]+\.[a-z0-9.-]+")  # api-a, api-b, ... of any base domain


@dataclass(frozen=True)
class Addressed:
    """`host` None: a direct call to the emulator; else the account whose host it is (None: unknown)."""

    host: str | None
    account: Account | None = None
    shared: bool = False

    @property
    def direct(self) -> bool:
        return self.host is None

    def serves(self, account: Account) -> bool:
        return self.direct or self.account is account


def host_of(headers: Any) -> str | None:
    raw = str(headers.get("host") or "").strip().lower()
    if not raw or raw.startswith("["):
        return None
    host = raw.split(":")[0]
    if host == "localhost" or re.fullmatch(r"[\d.]+", host):
        return None
    return host


def addressed(state: EmulatorState, headers: Any) -> Addressed:
    host = host_of(headers)
    if host is None:
        return Addressed(None)
    if _SHARED.fullmatch(host):
        return Addressed(host, shared=True)
    return Addressed(host, state.account_by_domain(host))


class HostRouter:
    """ASGI middleware: a named host that is no account's answers 404; a shared host only the lookup."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and not scope["path"].startswith(CONTROL_PREFIX):
            state: EmulatorState = scope["app"].state.emulator
            headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers", [])}
            with state.lock:
                where = addressed(state, headers)
            refused = None
            if where.shared and scope["path"] != LOOKUP_PATH:
                refused = problem(404, f"{where.host} serves no account API")
            elif not where.direct and not where.shared and where.account is None:
                refused = problem(404, f"No account at {where.host}")
            if refused is not None:
                await refused(scope, receive, send)
                return
        await self.app(scope, receive, send)


async def current_subdomain(request: Request) -> Response:
    """The SDK's lookup of a (possibly renamed) account by its refresh token."""
    state: EmulatorState = request.app.state.emulator
    with state.lock:
        where = addressed(state, request.headers)
        if not (where.direct or where.shared):
            return problem(404, "Not found")
        pair = state.tokens_by_refresh.get(request.headers.get("x-refresh-token", ""))
        now = state.clock.now()
        if pair is None or pair.revoked or pair.refresh_invalidated or now >= pair.refresh_expires_at:
            return problem(401, "Refresh token is invalid or revoked")
        account = state.accounts[pair.account_id]
        entry = account.log.open(
            ts=now, method="GET", path=LOOKUP_PATH, template=f"GET {LOOKUP_PATH}", query={}, host=where.host
        )
        entry.status = 200
        return json_response(
            {
                "id": account.id,
                "subdomain": account.subdomain,
                "domain": account.domain,
                "top_level_domain": account.base_domain.rsplit(".", 1)[-1],
            }
        )


ROUTES = [Route(LOOKUP_PATH, current_subdomain, methods=["GET"])]
