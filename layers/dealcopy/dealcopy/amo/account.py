"""The account endpoint: who the tokens belong to (install) and whether they still work (uninstall guard)."""

from __future__ import annotations

from typing import Any, Protocol

ACCOUNT_PATH = "/api/v4/account"


class Getter(Protocol):
    def get(self, path: str, params: dict[str, Any] | None = None) -> Any: ...


def read_account(api: Getter, *, with_zone: bool = False) -> dict[str, Any]:
    """`GET /api/v4/account`: the account's id, subdomain and settings (`with_zone`: its date-time settings)."""
    return api.get(ACCOUNT_PATH, {"with": "datetime_settings"}) if with_zone else api.get(ACCOUNT_PATH)


def account_timezone(answer: Any) -> str | None:
    """The account's IANA zone from `GET /api/v4/account?with=datetime_settings`; None if absent or unknown.

    Documented at `_embedded.datetime_settings.timezone`; a `datetime_settings` at the top level and a
    plain `timezone` are accepted too (amoCRM unconfirmed). A name Python's zone database lacks is ignored.
    """
    from zoneinfo import ZoneInfo

    body = answer if isinstance(answer, dict) else {}
    embedded = body.get("_embedded")
    candidates = [embedded.get("datetime_settings") if isinstance(embedded, dict) else None]
    candidates.append(body.get("datetime_settings"))
    names = [c.get("timezone") for c in candidates if isinstance(c, dict)] + [body.get("timezone")]
    for name in names:
        if isinstance(name, str) and 0 < len(name.strip()) <= 64:
            try:
                ZoneInfo(name.strip())
            except (ValueError, KeyError, OSError):  # unknown, or not a zone name at all ("../x", "\0")
                continue
            return name.strip()
    return None


def read_timezone(api: Getter) -> str | None:
    """The account's zone as amoCRM reports it now (one request)."""
    return account_timezone(api.get(ACCOUNT_PATH, {"with": "datetime_settings"}))


def install_budget_key(claims: dict[str, Any], base_url: str) -> str:
    """Whose shared budget the install's first request books: the account id in the new token's claims,
    else the host's own key (the same account's later requests then book under its id)."""
    return str(claims.get("account_id") or f"install:{base_url}")
