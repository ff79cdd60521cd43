"""Counts every amoCRM request we make, and the waits for a send slot: CloudWatch metrics plus an in-process counter.

The counter is what tests and `make bench` read to prove requests-per-copy figures.
"""

from __future__ import annotations

import threading
from collections import Counter

from aws_lambda_powertools.metrics import MetricUnit

from dealcopy.observability import metrics


class RequestCounter:
    """Thread-safe tally of requests by account and by outcome."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_account: Counter[str] = Counter()
        self._by_status: Counter[int] = Counter()

    def record(self, account: str, status: int) -> None:
        with self._lock:
            self._by_account[account] += 1
            self._by_status[status] += 1
        metrics.add_metric(name="AmoRequests", unit=MetricUnit.Count, value=1)
        if status == 429:
            metrics.add_metric(name="AmoRateLimited", unit=MetricUnit.Count, value=1)

    def waited(self, seconds: float) -> None:
        """Time a request spent waiting for a send slot (amoCRM's 7 requests/s, shared by every instance)."""
        if seconds > 0:
            metrics.add_metric(name="AmoRateLimitWait", unit=MetricUnit.Seconds, value=seconds)

    def exhausted(self) -> None:
        """No send slot within the bounded wait: the call failed as temporarily unavailable."""
        metrics.add_metric(name="AmoBudgetExhausted", unit=MetricUnit.Count, value=1)

    def total(self, account: str | None = None) -> int:
        with self._lock:
            if account is None:
                return sum(self._by_account.values())
            return self._by_account[account]

    def by_status(self) -> dict[int, int]:
        with self._lock:
            return dict(self._by_status)

    def reset(self) -> None:
        with self._lock:
            self._by_account.clear()
            self._by_status.clear()


request_counter = RequestCounter()
