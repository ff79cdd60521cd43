"""The account endpoint: who the tokens belong to (install) and whether they still work (uninstall guard)."""

from __future__ import annotations

from typing import Any, Protocol

ACCOUNT_PATH = "/api/v4/account"


class Getter(Protocol):
    def get(self, path: str, params: dict[str, Any] | None = None) -> Any: ...


def read_account(api: Getter) -> dict[str, Any]:
    """`GET /api/v4/account`: the account's id, subdomain and settings."""
    return api.get(ACCOUNT_PATH)


def install_budget_key(claims: dict[str, Any], base_url: str) -> str:
    """Whose shared budget the install's first request books: the account id in the new token's claims,
    else the host's own key (the same account's later requests then book under its id)."""
    return str(claims.get("account_id") or f"install:{base_url}")
