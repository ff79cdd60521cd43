"""Calls the widget routes of the local stack the way amoCRM's `$authorizedAjax` does."""

from __future__ import annotations

import time
import uuid
from typing import Any
from urllib.parse import urlsplit

import httpx
import jwt

from amo_emulator.seed_demo import USERS
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
    now = int(time.time())
    redirect = urlsplit(stack.redirect_uri)
    payload = {
        "iss": f"https://{account['subdomain']}.amocrm.ru",
        "aud": f"{redirect.scheme}://{redirect.netloc}",
        "jti": str(uuid.uuid4()),
        "iat": now,
        "nbf": now,
        "exp": now + 1800,
        "account_id": account["id"],
        "user_id": user_id,
        "subdomain": account["subdomain"],
        "client_uuid": stack.client_id,
        "is_admin": user_id == ADMIN,
        **claims,
    }
    return jwt.encode(payload, secret or stack.client_secret, algorithm="HS256")


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
