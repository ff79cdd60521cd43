"""Calls the widget routes of the local stack the way amoCRM's `$authorizedAjax` does."""

from __future__ import annotations

from typing import Any

import httpx

from amo_emulator.seed_demo import USERS
from devstack.one_time_token import mint
from tests.integration.conftest import unique

ADMIN = USERS["Евгений Агеев"]


def install(stack, *, demo: bool = True) -> dict[str, Any]:
    """A fresh emulator account installed through the real OAuth callback."""
    account = stack.control.create_account(unique("w"), demo=demo, limits={"rate": 7})
    grant = stack.control.install(account["id"], stack.client_id)
    answer = httpx.get(
        f"{stack.gateway_url}/oauth/callback",
        params={"code": grant["code"], "referer": grant["referer"], "client_id": stack.client_id},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    return account


def one_time_token(stack, account: dict[str, Any], user_id: int = ADMIN, secret: str | None = None, **claims) -> str:
    return mint(
        secret=secret or stack.client_secret,
        client_id=stack.client_id,
        redirect_uri=stack.redirect_uri,
        account_id=account["id"],
        subdomain=account["subdomain"],
        user_id=user_id,
        is_admin=user_id == ADMIN,
        **claims,
    )


def call(
    stack,
    method: str,
    path: str,
    account: dict[str, Any],
    *,
    user_id: int = ADMIN,
    token: str | None = None,
    lang: str = "ru",
    **kwargs: Any,
) -> httpx.Response:
    headers = {"Accept-Language": lang, "Origin": f"https://{account['subdomain']}.amocrm.ru"}
    if token != "":  # "" sends no token at all
        headers["X-Auth-Token"] = token or one_time_token(stack, account, user_id)
    return httpx.request(method, f"{stack.gateway_url}{path}", headers=headers, timeout=60, **kwargs)


def api_requests(stack, account: dict[str, Any], since: int = 0) -> list[dict[str, Any]]:
    return [e for e in stack.control.requests(account["id"], since) if e["path"].startswith("/api/")]


def log_mark(stack, account: dict[str, Any]) -> int:
    entries = stack.control.requests(account["id"])
    return entries[-1]["seq"] if entries else 0
