"""One amoCRM request budget per account, shared by every process and Lambda instance.

amoCRM allows 7 requests per second per account, counted across all our callers.
Each process books *send slots* on a schedule kept in a shared store (DynamoDB):
slots are `interval = (window + margin) / rate` apart, so the 8th slot after any
slot is at least `window + margin` later. A process books one slot per store call,
or a few consecutive ones while it keeps asking faster than the interval, and sends
each request at its slot. The margin absorbs clock skew between instances, network
jitter and a slot used slightly late. See docs/limits.md.
"""

from __future__ import annotations

import random
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Protocol

from dealcopy.amo.errors import AmoUnavailable

_STREAK_PER_SLOT = 4  # fast requests in a row before each extra slot per booking
_LEAD = (0.002, 0.1)  # bounds of the expected store round trip an idle booking starts after


class Limiter(Protocol):
    """Anything the client asks for permission before each request."""

    def acquire(self) -> float: ...


class SlotStoreUnavailable(Exception):
    """The shared store throttled or failed; the caller waits and tries again, never sends unbooked."""


class SlotStore(Protocol):
    def reserve(self, key: str, count: int, interval: float, start: float, horizon: float) -> float | None:
        """First of `count` consecutive slots booked for us, none before `start`;
        None if the schedule is booked past `start + horizon`."""
        ...


class BudgetUnavailable(AmoUnavailable):
    """No send slot could be booked within the bounded wait: a temporary failure (503 / job retry)."""


class SharedBudget:
    """Books send slots of one account's shared schedule, after the in-process limiter.

    Thread-safe; one instance per account per process (see `LimiterRegistry`).
    A caller slower than the interval books one slot at a time, starting when the
    store's answer arrives, so it never waits on the schedule of its own making.
    A caller faster than the interval books more slots per call (up to `batch`) once
    it has been fast for a while: real callers ask in short bursts (a copy's 4 calls),
    and a slot booked but not used is budget lost for every instance.
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
        self._streak = 0  # requests in a row that came less than an interval after our previous slot
        self._last_slot = float("-inf")
        self._lead = late / 2  # expected store round trip; learnt from every booking
        self._max_wait = max_wait
        self._horizon = horizon
        self._late = late
        self._clock = clock
        self._sleep = sleep
        self._slots: deque[float] = deque()
        self._lock = threading.Lock()
        self._reserves = 0
        self.wasted = 0  # booked slots given up unused: they (or the process waking for them) came too late

    @property
    def store_calls(self) -> int:
        """Store writes so far (the store's own count if it keeps one): read by tests and the benchmark."""
        return getattr(self._store, "calls", self._reserves)

    def acquire(self) -> float:
        """Block until this process may send one request of the account; returns the seconds waited."""
        started = self._clock()
        if self._local is not None:
            self._local.acquire()
        while True:
            with self._lock:
                slot = self._next_slot(started + self._max_wait)
            pause = slot - self._clock()
            if pause > 0:
                self._sleep(pause)
            if self._clock() - slot <= self._late:
                return max(0.0, self._clock() - started)
            with self._lock:  # woke too late (a starved process): the slot is given up, never used late
                self.wasted += 1
                self._streak = 0

    def _next_slot(self, give_up: float) -> float:
        now = self._clock()
        while self._slots and self._slots[0] < now - self._late:
            self._slots.popleft()  # too late to use safely: a later booking may follow it closely
            self.wasted += 1
            self._streak = -1
        self._streak = self._streak + 1 if now - self._last_slot < self.interval else 0
        if not self._slots:
            self._slots.extend(self._book(give_up))
        self._last_slot = self._slots.popleft()
        return self._last_slot

    def _batch(self) -> int:
        return min(self._max_batch, 1 + self._streak // _STREAK_PER_SLOT)

    def _book(self, give_up: float) -> list[float]:
        """Book the next slots (one store call as a rule), waiting with jittered backoff while none is free."""
        attempt = 0
        while True:
            count = self._batch()
            sent = self._clock()
            self._reserves += 1
            try:
                first = self._store.reserve(self.key, count, self.interval, sent + self._lead, self._horizon)
            except SlotStoreUnavailable:
                first = None
            else:
                took = self._clock() - sent
                self._lead = min(_LEAD[1], max(_LEAD[0], 0.7 * self._lead + 0.3 * took))
            if first is not None:
                return [first + i * self.interval for i in range(count)]
            pause = min(1.0, 0.05 * 2**attempt) * (0.5 + random.random())
            attempt += 1
            if self._clock() + pause > give_up:
                raise BudgetUnavailable(f"no amoCRM send slot for {self.key} within {self._max_wait:.0f} s", attempt)
            self._sleep(pause)
