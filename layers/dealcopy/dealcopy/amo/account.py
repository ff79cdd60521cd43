"""The account endpoint: who the tokens belong to (install) and whether they still work (uninstall guard)."""

from __future__ import annotations

from typing import Any, Protocol

ACCOUNT_PATH = "/api/v4/account"


class Getter(Protocol):
    def get(self, path: str, params: dict[str, Any] | None = None) -> Any: ...


def read_account(api: Getter) -> dict[str, Any]:
    """`GET /api/v4/account`: the account's id, subdomain and settings."""
    return api.get(ACCOUNT_PATH)
