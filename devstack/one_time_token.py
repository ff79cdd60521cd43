"""Mints the one-time JWT amoCRM's `$authorizedAjax` would send (local stack, tests, harness).

Same claims as amoCRM documents: HS256 with the integration's secret, `aud` =
scheme://host of the redirect URI, a fresh `jti`, a 30-minute lifetime.
"""

from __future__ import annotations

import time
import uuid
from typing import Any
from urllib.parse import urlsplit

import jwt


def mint(
    *,
    secret: str,
    client_id: str,
    redirect_uri: str,
    account_id: int,
    subdomain: str,
    user_id: int,
    is_admin: bool = False,
    **overrides: Any,
) -> str:
    now = int(time.time())
    redirect = urlsplit(redirect_uri)
    claims = {
        "iss": f"https://{subdomain}.amocrm.ru",
        "aud": f"{redirect.scheme}://{redirect.netloc}",
        "jti": str(uuid.uuid4()),
        "iat": now,
        "nbf": now,
        "exp": now + 1800,
        "account_id": account_id,
        "user_id": user_id,
        "subdomain": subdomain,
        "client_uuid": client_id,
        "is_admin": is_admin,
        **overrides,
    }
    return jwt.encode(claims, secret, algorithm="HS256")
