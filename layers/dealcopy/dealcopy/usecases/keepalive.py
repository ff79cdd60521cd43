"""Keep-alive: every installed account's tokens are refreshed long before amoCRM lets them lapse.

amoCRM refresh tokens live three months and are single-use, so an account whose widget nobody
opens and whose repeats fire once a year would lose its grant. An hourly run takes the installed
accounts whose pair is older than `threshold` (30 days) plus an offset of up to a day fixed by
the account id (accounts installed together spread over the day), oldest first, at most `limit`
of them, and refreshes each through its token provider: under the refresh lease every instance
honours (single-flight), after a send slot of the account's shared amoCRM budget, following a
renamed host. It then reads the account's time zone, which the account record keeps current.

A refresh amoCRM finally refuses (an OAuth refusal of the stored refresh token) marks the account
disconnected with amoCRM's reason (the token provider does, and counts `RefreshRefused`); a
temporary failure leaves the account as it is for the next run.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dealcopy.amo.errors import AmoError, AmoTokenError, AmoUnavailable, ReinstallRequired
from dealcopy.observability import logger

if TYPE_CHECKING:
    from dealcopy.accounts import Account
    from dealcopy.storage.accounts import AccountRepository

DAY = 86400
THRESHOLD = 30 * DAY  # a third of a refresh token's life: two runs can fail before any risk
MAX_PER_RUN = 200


def spread(account_id: int) -> int:
    """Seconds (under a day) added to the threshold of this account: a stable hash, not random."""
    return zlib.crc32(str(account_id).encode()) % DAY


def due(account: Account, now: float, threshold: float = THRESHOLD) -> bool:
    issued = account.tokens_at or account.installed_at
    return account.tokens is not None and now - issued >= threshold + spread(account.account_id)


@dataclass
class KeepAlive:
    accounts: AccountRepository
    refresh: Callable[[Account, float], Any]  # refresh the account's pair now, stamped with the given time
    read_timezone: Callable[[Account], str | None]  # the zone amoCRM reports for the account
    threshold: float = THRESHOLD
    limit: int = MAX_PER_RUN

    def run(self, now: float) -> dict[str, int]:
        """One scheduled run at `now` (the schedule's time): what it refreshed, lost and left for later."""
        waiting = sorted(
            (a for a in self.accounts.installed() if due(a, now, self.threshold)),
            key=lambda a: a.tokens_at or a.installed_at,
        )
        report = {"due": len(waiting), "refreshed": 0, "disconnected": 0, "unavailable": 0}
        for account in waiting[: self.limit]:
            report[self._keep(account, now)] += 1
        return report

    def _keep(self, account: Account, now: float) -> str:
        try:
            self.refresh(account, now)
        except ReinstallRequired:
            logger.warning("amoCRM refused the refresh token", extra={"account_id": account.account_id})
            return "disconnected"
        except (AmoUnavailable, AmoTokenError) as err:  # temporary: the next run tries again
            logger.warning("keep-alive refresh failed", extra={"account_id": account.account_id, "error": str(err)})
            return "unavailable"
        self._keep_timezone(account)
        return "refreshed"

    def _keep_timezone(self, account: Account) -> None:
        keep_timezone(self.accounts, self.read_timezone, account)


def scheduled_time(event: Any) -> float:
    """The scheduled event's `time` (EventBridge's occurrence; the local clock's simulated one), else now."""
    import time
    from datetime import datetime

    raw = event.get("time") if isinstance(event, dict) else None
    try:
        return datetime.fromisoformat(str(raw).replace("Z", "+00:00")).timestamp()
    except ValueError:
        return time.time()


def keep_timezone(accounts: AccountRepository, read: Callable[[Account], str | None], account: Account) -> Account:
    """The account with the zone amoCRM reports now stored; unchanged when amoCRM cannot say right now."""
    try:
        zone = read(account)
    except (AmoError, AmoUnavailable, AmoTokenError) as err:  # read again at the next open or keep-alive
        logger.info("could not read the account's zone", extra={"account_id": account.account_id, "error": str(err)})
        return account
    return accounts.set_timezone(account, zone) if zone else account
