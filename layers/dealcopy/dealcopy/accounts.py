"""The installed-account model: who installed us, where their API lives, token state.

An account is its id; its host `{subdomain}.{base_domain}` is where its API answers and what
links point at. The token's `api_domain` is a *shared* host (`api-b.amocrm.ru`, facts: Hosts)
and never an account's host: old records that stored it are repaired on read.

Plain dataclasses, not pydantic models: every route reads an account on its first request,
and these are built only from our own table (`storage.accounts`), never from a caller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

_SHARED_API_HOST = re.compile(r"api-[a-z0-9]+\.(?P<base>[a-z0-9.-]+\.[a-z]+)")
_SUBDOMAIN = re.compile(r"[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?")


def is_shared_api_host(host: str) -> bool:
    return bool(_SHARED_API_HOST.fullmatch(host.strip().lower()))


def repaired_domain(subdomain: str, domain: str) -> str:
    """The account's host; a shared `api-*` host stored by older installs becomes `{subdomain}.{base}`."""
    shared = _SHARED_API_HOST.fullmatch(domain.strip().lower())
    return f"{subdomain.lower()}.{shared['base']}" if shared and subdomain else domain


def renamed_domain(domain: str, subdomain: str) -> str | None:
    """`domain` with its first label replaced by `subdomain` (the base domain stays); None if not a subdomain."""
    sub = (subdomain or "").strip().lower()
    if not _SUBDOMAIN.fullmatch(sub) or "." not in domain:
        return None
    return f"{sub}.{domain.split('.', 1)[1]}"


def issuer_host(issuer: str, domain: str) -> str | None:
    """The host of a one-time token's `iss` (`https://demo.amocrm.ru`) if it has our account's base domain."""
    host = re.sub(r"^https?://", "", (issuer or "").strip().lower()).split("/")[0]
    sub, _, base = host.partition(".")
    return host if base and base == domain.split(".", 1)[-1] and _SUBDOMAIN.fullmatch(sub) else None


class AccountStatus(StrEnum):
    ACTIVE = "active"
    UNINSTALLED = "uninstalled"
    REINSTALL_REQUIRED = "reinstall_required"


class Secret:
    """A token that never shows in logs or reprs; `get_secret_value()` is the one way to read it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = str(value)

    def get_secret_value(self) -> str:
        return self._value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__


@dataclass(frozen=True)
class StoredTokens:
    """The current OAuth pair of an account, kept as `Secret`s."""

    access_token: Secret
    refresh_token: Secret
    expires_at: int
    version: int = 0

    def expiring(self, now: float, skew: float = 60.0) -> bool:
        return self.expires_at - skew <= now


@dataclass(frozen=True)
class Account:
    account_id: int
    subdomain: str
    domain: str
    status: AccountStatus
    installed_at: int
    first_installed_at: int
    uninstalled_at: int | None = None
    trial_until: int | None = None
    paid_until: int | None = None
    tokens: StoredTokens | None = None
    country: str | None = None  # amoCRM's `country` of the account (ISO code), stored at install
    tokens_at: int | None = None  # when the stored pair was issued (install or refresh): the keep-alive's clock
    timezone: str | None = None  # the account's IANA zone as amoCRM reports it (None: not read yet)
    disconnected_at: int | None = None  # amoCRM finally refused our refresh token (status reinstall_required)
    disconnect_reason: str | None = None  # amoCRM's words for that refusal (no personal data)

    @property
    def is_active(self) -> bool:
        return self.status is AccountStatus.ACTIVE
