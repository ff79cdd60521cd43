"""The installed-account model: who installed us, where their API lives, token state."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, SecretStr


class AccountStatus(StrEnum):
    ACTIVE = "active"
    UNINSTALLED = "uninstalled"
    REINSTALL_REQUIRED = "reinstall_required"


class StoredTokens(BaseModel):
    """The current OAuth pair of an account. SecretStr keeps tokens out of logs and reprs."""

    access_token: SecretStr
    refresh_token: SecretStr
    expires_at: int
    version: int = 0

    def expiring(self, now: float, skew: float = 60.0) -> bool:
        return self.expires_at - skew <= now


class Account(BaseModel):
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

    @property
    def is_active(self) -> bool:
        return self.status is AccountStatus.ACTIVE
