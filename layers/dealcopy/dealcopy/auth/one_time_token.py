"""Verifies the one-time JWT amoCRM's `$authorizedAjax` puts into `X-Auth-Token`.

HS256 keyed by the integration's client secret; `aud` is scheme://host of our
redirect URI; `client_uuid` must be our integration. amoCRM's SDK does not
consume `jti`, so replay protection is ours: each `jti` is claimed once for the
token's lifetime. The account id is taken from the verified token only.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import jwt

from dealcopy.storage.claims import ClaimStore

LEEWAY = 30  # seconds of clock skew tolerated between amoCRM and us


class TokenRejected(Exception):
    """The widget call is not authenticated; `reason` is safe to show (no token content)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class WidgetCaller:
    account_id: int
    user_id: int
    subdomain: str
    is_admin: bool
    issuer: str


def audience_of(redirect_uri: str) -> str:
    parts = urlsplit(redirect_uri)
    return f"{parts.scheme}://{parts.netloc}"


def verify(token: str, *, secret: str, audience: str, client_id: str, now: float | None = None) -> dict:
    """The token's claims if signature, audience, time window and client all check out."""
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=["HS256"],
            audience=audience,
            leeway=LEEWAY,
            options={"require": ["exp", "nbf", "iat", "jti", "aud"]},
        )
    except jwt.ExpiredSignatureError as err:
        raise TokenRejected("token expired") from err
    except jwt.ImmatureSignatureError as err:
        raise TokenRejected("token not yet valid") from err
    except jwt.InvalidAudienceError as err:
        raise TokenRejected("token issued for another audience") from err
    except jwt.InvalidTokenError as err:
        raise TokenRejected("invalid token") from err
    if str(claims.get("client_uuid", "")) != client_id:
        raise TokenRejected("token issued for another integration")
    if not str(claims.get("account_id", "")).isdigit() or not str(claims.get("user_id", "")).isdigit():
        raise TokenRejected("token without account or user")
    return claims


class OneTimeTokens:
    """Authenticates a widget call exactly once per token."""

    def __init__(self, claims: ClaimStore, secret: Callable[[], str], *, redirect_uri: str, client_id: str) -> None:
        self._claims = claims
        self._secret = secret
        self._audience = audience_of(redirect_uri)
        self._client_id = client_id

    def authenticate(self, header: str | None) -> WidgetCaller:
        if not header:
            raise TokenRejected("X-Auth-Token header is missing")
        claims = verify(header.strip(), secret=self._secret(), audience=self._audience, client_id=self._client_id)
        lifetime = max(int(claims["exp"] - time.time()) + LEEWAY, 1)
        if not self._claims.claim(f"jti#{claims['jti']}", ttl=lifetime):
            raise TokenRejected("token already used")
        return WidgetCaller(
            account_id=int(claims["account_id"]),
            user_id=int(claims["user_id"]),
            subdomain=str(claims.get("subdomain", "")),
            is_admin=bool(claims.get("is_admin", False)),
            issuer=str(claims.get("iss", "")),
        )
