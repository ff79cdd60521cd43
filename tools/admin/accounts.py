"""`accounts list|show|extend`: licences as an operator reads them."""

from __future__ import annotations

import sys
import time
from typing import Any

from dealcopy.accounts import Account
from dealcopy.licence import licence_of


def describe(account: Account, now: float | None = None) -> dict[str, Any]:
    licence = licence_of(account)
    return {
        "account_id": account.account_id,
        "subdomain": account.subdomain,
        "domain": account.domain,
        "status": account.status.value,
        "first_installed": time.strftime("%Y-%m-%d", time.gmtime(account.first_installed_at)),
        "licence": licence.kind,
        "valid_until": time.strftime("%Y-%m-%d", time.gmtime(licence.valid_until)),
        "days_left": licence.days_left(now),
    }


def run(repo: Any, action: str, account_id: int | None = None, days: int = 0) -> Any:
    """The rows to print, or None (after a message on stderr) when the account does not exist."""
    if action == "list":
        return [describe(a) for a in sorted(repo.scan(), key=lambda a: a.account_id)]
    if action == "show":
        account = repo.get(account_id, consistent=True)
        if account is None:
            print(f"account {account_id} not found", file=sys.stderr)
            return None
        return describe(account)
    try:
        return describe(repo.extend_paid(account_id, days))
    except KeyError:
        print(f"account {account_id} not found", file=sys.stderr)
        return None
