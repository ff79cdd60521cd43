"""Uninstall hooks that cannot be replayed: an account is dropped only once amoCRM confirms its tokens are dead.

amoCRM's uninstall signature depends only on the client and the account id, so an
old hook URL replayed after a re-install would drop a healthy account. Before
dropping, one API call with the stored tokens (`GET /api/v4/account`; a 401 is
followed by at most one refresh, to tell an expired access token from a revoked
grant) must fail with a definite refusal. The drop is conditional on the token
generation we probed, so a re-install that lands meanwhile is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dealcopy.accounts import Account, AccountStatus
from dealcopy.amo.errors import AmoError, AmoUnauthorized, AmoUnavailable, ReinstallRequired
from dealcopy.observability import logger
from dealcopy.storage.accounts import AccountRepository


class UninstallUnconfirmed(AmoUnavailable):
    """amoCRM did not say whether the tokens are revoked (403, 5xx, timeout): nothing dropped, try later."""


@dataclass
class UninstallGuard:
    accounts: AccountRepository
    probe: Callable[[Account], Any]  # one amoCRM call with the account's stored tokens
    forget: Callable[[int], None]  # drop per-process caches of a dropped account
    retain: Callable[[int], Any] | None = None  # the account's data expires after the retention (`storage.retention`)
    stop: Callable[[int], Any] | None = None  # repeats stopped, delayed copies cancelled, their schedules deleted

    def uninstall(self, account_id: int) -> bool:
        """True if the account is (now) uninstalled; False if unknown or its tokens still work (kept)."""
        account = self.accounts.get(account_id, consistent=True)
        if account is None:
            return False
        if account.status is AccountStatus.UNINSTALLED:
            return True
        version = account.tokens.version if account.tokens else None
        if account.is_active and not self._revoked(account):
            return False
        dropped = self.accounts.mark_uninstalled(account_id, version=version)
        if dropped:
            self.forget(account_id)
            self._after(self.stop, account_id, "could not stop the schedules of an uninstalled account")
            self._after(self.retain, account_id, "could not set the retention of an uninstalled account")
        return dropped

    def _after(self, step: Callable[[int], Any] | None, account_id: int, failure: str) -> None:
        """Tokens are gone already; schedules stop first (stopped repeats get their TTL), then the rest
        expires in 30 days. A failure here leaves the usual TTLs, and a fire of an uninstalled account
        stops its repeat anyway (`schedules.firing`)."""
        if step is None:
            return
        try:
            step(account_id)
        except Exception:
            logger.exception(failure, extra={"account_id": account_id})

    def _revoked(self, account: Account) -> bool:
        try:
            self.probe(account)
        except (ReinstallRequired, AmoUnauthorized):
            return True
        except AmoUnavailable:
            raise
        except AmoError as err:
            raise UninstallUnconfirmed(f"amoCRM answered {err.status} to the revocation check", 1, err) from err
        return False
