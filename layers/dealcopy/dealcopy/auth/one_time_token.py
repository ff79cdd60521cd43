"""Verifies the one-time JWT amoCRM's `$authorizedAjax` puts into `X-Auth-Token`.

HS256 keyed by the integration's client secret (after a rotation, the previous one too for
its window: `auth.client_secrets`); `aud` is scheme://host of our
redirect URI; `client_uuid` must be our integration. amoCRM's SDK does not
consume `jti`, so replay protection is ours: each `jti` is claimed once for the
token's lifetime. The account id is taken from the verified token only.

Claims are read strictly: ids are integers within amoCRM's bounds, `is_admin` is the JSON
boolean `true` (the string "false" is no admin), and any garbage is `TokenRejected`, never a 500.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import jwt

from dealcopy.errors import DomainError
from dealcopy.ids import MAX_AMO_ID
from dealcopy.storage.claims import ClaimStore

LEEWAY = 30  # seconds of clock skew tolerated between amoCRM and us
MAX_TOKEN_CHARS = 4096  # amoCRM's tokens are ~600 characters; anything far longer is not one
MAX_JTI_CHARS = 128
MAX_LIFETIME = 2 * 3600  # amoCRM's tokens live 30 minutes; a far `exp` must not make a far TTL


class TokenRejected(DomainError):
    """The widget call is not authenticated; `reason` is safe to show (no token content)."""

    code = "unauthenticated"

    def __init__(self, reason: str) -> None:
        super().__init__(reason=reason)
        self.reason = reason

    def details(self) -> dict:
        return {}

    def __str__(self) -> str:
        return self.reason


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


def _decode(token: str, secrets: Sequence[str], audience: str) -> Any:
    """jwt.decode with the first secret whose signature matches (after a rotation amoCRM may hold either)."""
    *earlier, last = secrets
    for secret in earlier:
        try:
            return _decode_with(token, secret, audience)
        except jwt.InvalidSignatureError:
            continue
    return _decode_with(token, last, audience)


def _decode_with(token: str, secret: str, audience: str) -> Any:
    return jwt.decode(
        token,
        secret,
        algorithms=["HS256"],
        audience=audience,
        leeway=LEEWAY,
        options={"require": ["exp", "nbf", "iat", "jti", "aud"]},
    )


def verify(token: str, *, secret: str | Sequence[str], audience: str, client_id: str, now: float | None = None) -> dict:
    """The token's claims if signature, audience, time window, client and claim types all check out.

    `secret`: the client secret, or the secrets accepted right now (the current one first).
    """
    if len(token) > MAX_TOKEN_CHARS or not token.isascii():
        raise TokenRejected("invalid token")
    try:
        claims = _decode(token, (secret,) if isinstance(secret, str) else tuple(secret), audience)
    except jwt.ExpiredSignatureError as err:
        raise TokenRejected("token expired") from err
    except jwt.ImmatureSignatureError as err:
        raise TokenRejected("token not yet valid") from err
    except jwt.InvalidAudienceError as err:
        raise TokenRejected("token issued for another audience") from err
    except (jwt.InvalidTokenError, ValueError, TypeError) as err:
        raise TokenRejected("invalid token") from err
    if not isinstance(claims, dict):
        raise TokenRejected("invalid token")
    if claims.get("client_uuid") != client_id:
        raise TokenRejected("token issued for another integration")
    if not (_is_id(claims.get("account_id")) and _is_id(claims.get("user_id"))):
        raise TokenRejected("token without account or user")
    jti = claims.get("jti")
    if not isinstance(jti, str) or not 0 < len(jti) <= MAX_JTI_CHARS:
        raise TokenRejected("invalid token")
    return claims


class OneTimeTokens:
    """Authenticates a widget call exactly once per token."""

    def __init__(
        self, claims: ClaimStore, secret: Callable[[], str | Sequence[str]], *, redirect_uri: str, client_id: str
    ) -> None:
        self._claims = claims
        self._secret = secret
        self._audience = audience_of(redirect_uri)
        self._client_id = client_id

    def authenticate(self, header: str | None) -> WidgetCaller:
        if not header:
            raise TokenRejected("X-Auth-Token header is missing")
        claims = verify(header.strip(), secret=self._secret(), audience=self._audience, client_id=self._client_id)
        lifetime = min(max(int(claims["exp"] - time.time()) + LEEWAY, 1), MAX_LIFETIME)
        if not self._claims.claim(f"jti#{claims['jti']}", ttl=lifetime):
            raise TokenRejected("token already used")
        return WidgetCaller(
            account_id=claims["account_id"],
            user_id=claims["user_id"],
            subdomain=_text(claims.get("subdomain")),
            is_admin=claims.get("is_admin") is True,  # the JSON boolean only: "false" is truthy
            issuer=_text(claims.get("iss")),
        )


def _is_id(value: object) -> bool:
    """amoCRM sends ids as JSON numbers (confirmed): a string or a float is not an id."""
    return type(value) is int and 1 <= value <= MAX_AMO_ID


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""
