"""Licence state of an account: trial from the first install, then paid-until (widget: «Доступно: N дней»)."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from dealcopy.accounts import Account

DAY = 86400


@dataclass(frozen=True)
class Licence:
    valid_until: int
    kind: str  # "trial" or "paid"

    def days_left(self, now: float | None = None) -> int:
        """Whole days left, counting a started day (what the widget shows); 0 once expired."""
        remaining = self.valid_until - (time.time() if now is None else now)
        return max(0, math.ceil(remaining / DAY))

    def active(self, now: float | None = None) -> bool:
        return self.valid_until > (time.time() if now is None else now)


def licence_of(account: Account) -> Licence:
    trial = account.trial_until or account.first_installed_at
    paid = account.paid_until or 0
    return Licence(valid_until=paid, kind="paid") if paid > trial else Licence(valid_until=trial, kind="trial")
