"""One amoCRM request budget per account, shared by every process and Lambda instance.

amoCRM allows 7 requests per second per account, counted across all our callers.
Each process books *send slots* on a schedule kept in a shared store (DynamoDB):
slots are `interval = (window + margin) / rate` apart, so the 8th slot after any
slot is at least `window + margin` later. A process books a few consecutive slots
per store call and sends each request at its slot. The margin absorbs clock skew
between instances, network jitter and a slot used slightly late. See docs/limits.md.
"""

from __future__ import annotations

import random
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Protocol

from dealcopy.amo.errors import AmoUnavailable


class Limiter(Protocol):
    """Anything the client asks for permission before each request."""

    def acquire(self) -> float: ...


class SlotStoreUnavailable(Exception):
    """The shared store throttled or failed; the caller waits and tries again, never sends unbooked."""


class SlotStore(Protocol):
    def reserve(self, key: str, count: int, interval: float, now: float, horizon: float) -> float | None:
        """Start of `count` consecutive slots booked for us, or None if the schedule is booked past now + horizon."""
        ...


class BudgetUnavailable(AmoUnavailable):
    """No send slot could be booked within the bounded wait: a temporary failure (503 / job retry)."""


class SharedBudget:
    """Books send slots of one account's shared schedule, after the in-process limiter.

    Thread-safe; one instance per account per process (see `LimiterRegistry`).
    The batch grows (up to `batch`) while every booked slot gets used and drops
    back to 1 when slots expire unused, so an idle process wastes little budget.
    """

    def __init__(
        self,
        key: str,
        store: SlotStore,
        *,
        local: Limiter | None = None,
        rate: int = 7,
        window: float = 1.0,
        margin: float = 0.1,
        batch: int = 4,
        max_wait: float = 10.0,
        horizon: float = 3.0,
        late: float = 0.04,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate < 1 or batch < 1:
            raise ValueError("rate and batch must be >= 1")
        self.key = key
        self.interval = (window + margin) / rate
        self._store = store
        self._local = local
        self._max_batch = batch
        self._batch = 1
        self._last_slot = 0.0
        self._max_wait = max_wait
        self._horizon = horizon
        self._late = late
        self._clock = clock
        self._sleep = sleep
        self._slots: deque[float] = deque()
        self._lock = threading.Lock()
        self.store_calls = 0  # read by tests and the benchmark: DynamoDB writes per request

    def acquire(self) -> float:
        """Block until this process may send one request of the account; returns the seconds waited."""
        started = self._clock()
        if self._local is not None:
            self._local.acquire()
        with self._lock:
            slot = self._next_slot(started + self._max_wait)
        pause = slot - self._clock()
        if pause > 0:
            self._sleep(pause)
        return max(0.0, self._clock() - started)

    def _next_slot(self, give_up: float) -> float:
        attempt = 0
        while True:
            now = self._clock()
            wasted = False
            while self._slots and self._slots[0] < now - self._late:
                self._slots.popleft()  # too late to use safely: a later booking may follow it closely
                wasted = True
            if self._slots:
                self._last_slot = self._slots.popleft()
                return self._last_slot
            busy = not wasted and now - self._last_slot < 1.0  # the previous booking was used up just now
            self._batch = min(self._max_batch, self._batch * 2) if busy else 1
            start = self._book(now)
            if start is not None:
                self._slots.extend(start + i * self.interval for i in range(self._batch))
                continue
            pause = min(1.0, 0.05 * 2**attempt) * (0.5 + random.random())
            attempt += 1
            if self._clock() + pause > give_up:
                raise BudgetUnavailable(f"no amoCRM send slot for {self.key} within {self._max_wait:.0f} s", attempt)
            self._sleep(pause)

    def _book(self, now: float) -> float | None:
        self.store_calls += 1
        try:
            # An idle schedule books from "now": plus half the lateness allowed, for the store's round trip.
            return self._store.reserve(self.key, self._batch, self.interval, now + self._late / 2, self._horizon)
        except SlotStoreUnavailable:
            return None
