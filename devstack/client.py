"""Calls the local stack the way amoCRM and the widget do: the OAuth install, signed widget calls, DP hooks.

One version for the demo, the benchmark, the widget harness and the tests, so they all reach the
gateway as amoCRM would. `stack` is a `StackInfo` or anything with its attributes (the tests'
stack fixtures); `account` is the emulator's account (`id`, `subdomain`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from amo_emulator.control import EmulatorControl
from amo_emulator.dp import form_fields, hook_payload
from amo_emulator.seed_demo import USERS
from devstack.http import HTTP as _HTTP
from devstack.one_time_token import mint

ADMIN_USER_ID = USERS["Евгений Агеев"]  # the demo account's admin


@dataclass
class StackInfo:
    """Where a running local stack listens and the integration it plays (from its READY line)."""

    gateway_url: str
    emulator_url: str
    client_id: str
    client_secret: str
    redirect_uri: str

    @classmethod
    def from_ready(cls, info: dict[str, Any]) -> StackInfo:
        return cls(
            **{k: info[k] for k in ("gateway_url", "emulator_url", "client_id", "client_secret", "redirect_uri")}
        )


def install_via_oauth(
    stack: StackInfo, control: EmulatorControl, account: dict[str, Any], *, calls: int = 1, **params: Any
) -> list[httpx.Response]:
    """An admin installs the widget: the emulator grants a code and amoCRM's redirect brings it to
    /oauth/callback, `calls` times (amoCRM's install webhook repeats the redirect); returns the answers."""
    grant = control.install(account["id"], stack.client_id)
    query = {"code": grant["code"], "referer": grant["referer"], "client_id": stack.client_id, **params}
    return [_HTTP.get(f"{stack.gateway_url}/oauth/callback", params=query) for _ in range(calls)]


def widget_token(
    stack: StackInfo,
    account: dict[str, Any],
    user_id: int = ADMIN_USER_ID,
    secret: str | None = None,
    *,
    is_admin: bool | None = None,
    **claims: Any,
) -> str:
    """The one-time token `$authorizedAjax` sends for `user_id` on the account's page (admin: the demo admin)."""
    return mint(
        secret=secret or stack.client_secret,
        client_id=stack.client_id,
        redirect_uri=stack.redirect_uri,
        account_id=account["id"],
        subdomain=account["subdomain"],
        user_id=user_id,
        is_admin=user_id == ADMIN_USER_ID if is_admin is None else is_admin,
        **claims,
    )


def call_widget(
    stack: StackInfo,
    method: str,
    path: str,
    account: dict[str, Any],
    *,
    user_id: int = ADMIN_USER_ID,
    token: str | None = None,
    lang: str = "ru",
    **kwargs: Any,
) -> httpx.Response:
    """A widget route called from the account's page: its Origin, the user's language and a fresh
    one-time token (`token=""` sends none)."""
    headers = {"Accept-Language": lang, "Origin": f"https://{account['subdomain']}.amocrm.ru"}
    if token != "":
        headers["X-Auth-Token"] = token or widget_token(stack, account, user_id)
    kwargs.setdefault("timeout", 60)
    return _HTTP.request(method, f"{stack.gateway_url}{path}", headers=headers, **kwargs)


def dp_hook_form(
    account: dict[str, Any], lead_id: int, where: dict[str, int], signed: dict[str, str] | None, at: int
) -> dict[str, str]:
    """What amoCRM posts when `lead_id` enters the stage `where` that has our action with the `signed`
    rule (None: an action without settings): form-encoded, bracket keys, string values."""
    settings = {"rule": signed["rule"], "signature": signed["signature"]} if signed else {}
    payload = hook_payload(
        account_id=account["id"],
        subdomain=account["subdomain"],
        lead_id=lead_id,
        pipeline_id=where["pipeline_id"],
        status_id=where["status_id"],
        settings=settings,
        at=at,
    )
    return form_fields(payload)


def post_dp_hook(
    stack: StackInfo, *, form: dict[str, str] | None = None, json: Any = None, **kwargs: Any
) -> httpx.Response:
    """POST /dp/hook with a form (`dp_hook_form`) or a JSON body."""
    return _HTTP.post(f"{stack.gateway_url}/dp/hook", data=form, json=json, **kwargs)


def api_requests(control: EmulatorControl, account_id: int, since: int = 0) -> list[dict[str, Any]]:
    """The amoCRM API requests in the emulator's log of the account, after the mark `since`."""
    return [e for e in control.requests(account_id, since) if e["path"].startswith("/api/")]


def request_log_mark(control: EmulatorControl, account_id: int) -> int:
    """The emulator's request log position now: `api_requests` after it shows only what comes next."""
    entries = control.requests(account_id)
    return entries[-1]["seq"] if entries else 0


def wait_idle(stack: Any, timeout: float = 30.0) -> float:
    """Blocks until the stack has nothing in flight (`GET /_devstack/idle`, devstack/idle.py); the seconds waited.

    Instead of sleeping: after a hook, to let its job (and retries) finish; before checking that something
    did not happen (a duplicate copy), since anything that could happen has by then."""
    answer = _HTTP.get(f"{stack.gateway_url}/_devstack/idle", params={"timeout": timeout}, timeout=timeout + 10)
    if answer.status_code != 200:
        raise AssertionError(f"the local stack is still busy after {timeout} s: {answer.text}")
    return answer.json()["waited"]
