"""One amoCRM request budget per account, shared by every process and Lambda instance.

amoCRM allows 7 requests per second per account, counted across all our callers.
Each process books *send stamps* in a log kept in a shared store (DynamoDB): the last
`rate` stamps of the account. A new stamp is at least `span = window + margin` after
the stamp `rate` places before it, so no `span` holds more than `rate` sends, whoever
booked them. Within that rule a stamp may follow the previous one at once: a caller
that was idle sends its short burst (a copy's 4 calls) without spacing, which evenly
spaced slots could not (they drained a DP burst at 1.7x the minimum, issue 11). The
margin absorbs clock skew between instances, network jitter and a stamp used slightly
late. See docs/limits.md.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from dealcopy.amo.errors import AmoUnavailable

_STREAK_PER_SLOT = 4  # fast requests in a row before each extra slot per booking
_LEAD = (0.002, 0.1)  # bounds of the expected store round trip an idle booking starts after


class Limiter(Protocol):
    """Anything the client asks for permission before each request."""

    def acquire(self) -> float: ...


class SlotStoreUnavailable(Exception):
    """The shared store throttled or failed; the caller waits and tries again, never sends unbooked."""


@dataclass(frozen=True)
class SendRule:
    """At most `rate` sends in any `span_ms` milliseconds (amoCRM's window plus our margin)."""

    rate: int
    span_ms: int

    @property
    def interval_ms(self) -> int:
        """The spacing of the stamps one booking gets after its first (rounded up: never closer)."""
        return math.ceil(self.span_ms / self.rate)


def next_stamps(log: Sequence[int], count: int, start_ms: int, rule: SendRule) -> list[int]:
    """`count` send stamps (ms) from `start_ms` on, after the account's `log` (ascending).

    Each stamp is no earlier than the last one booked and at least `span` after the stamp
    `rate` places before it: then every `rate + 1` consecutive stamps span `span` or more.
    The first may follow the log at once (idle time is banked, a burst goes unspaced); the
    others are an interval apart, as one caller uses them in turn (see `SharedBudget`).
    """
    stamps = list(log)
    booked: list[int] = []
    for _ in range(count):
        stamp = booked[-1] + rule.interval_ms if booked else start_ms
        if stamps:
            stamp = max(stamp, stamps[-1])
        if len(stamps) >= rule.rate:
            stamp = max(stamp, stamps[-rule.rate] + rule.span_ms)
        stamps.append(stamp)
        booked.append(stamp)
    return booked


class SlotStore(Protocol):
    def reserve(self, key: str, count: int, start: float, rule: SendRule, horizon: float) -> list[float] | None:
        """`count` send stamps (epoch seconds) booked for us in the account's log, none before `start`
        (`next_stamps`); None if the first would be later than `start + horizon`."""
        ...


class BudgetUnavailable(AmoUnavailable):
    """No send slot could be booked within the bounded wait: a temporary failure (503 / job retry)."""


class SharedBudget:
    """Books send stamps in one account's shared log, after the in-process limiter.

    Thread-safe; one instance per account per process (see `LimiterRegistry`).
    A caller books one stamp per request, starting when the store's answer arrives, so
    a short burst after idle time goes at once and it never waits on stamps of its own
    making. A caller that keeps asking faster than the interval books more stamps per
    call (up to `batch`, an interval apart), fewer DynamoDB writes for the same sends;
    a stamp booked but not used is budget lost for every instance, hence the caution.
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
        self.rule = SendRule(rate, math.ceil((window + margin) * 1000))
        self.interval = self.rule.interval_ms / 1000
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
                stamps = self._store.reserve(self.key, count, sent + self._lead, self.rule, self._horizon)
            except SlotStoreUnavailable:
                stamps = None
            else:
                took = self._clock() - sent
                self._lead = min(_LEAD[1], max(_LEAD[0], 0.7 * self._lead + 0.3 * took))
            if stamps:
                return stamps
            pause = min(1.0, 0.05 * 2**attempt) * (0.5 + random.random())
            attempt += 1
            if self._clock() + pause > give_up:
                raise BudgetUnavailable(f"no amoCRM send slot for {self.key} within {self._max_wait:.0f} s", attempt)
            self._sleep(pause)
