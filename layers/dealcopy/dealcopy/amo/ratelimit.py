"""Client-side throttle: never more than N requests per sliding window per account.

amoCRM answers the 8th request in a second with 429 and blocks repeat offenders
with 403, so we wait *before* sending instead of relying on 429s.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

from dealcopy.amo.budget import Limiter

_EPSILON = 1e-9  # float slack: a sleep of exactly the remaining window must free the slot


class SlidingWindowLimiter:
    """Thread-safe sliding-window log limiter.

    `margin` widens the window a little: the server measures arrival times, and
    network jitter can pull two of our sends closer together than we spaced them.
    """

    def __init__(
        self,
        rate: int = 7,
        window: float = 1.0,
        margin: float = 0.06,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate < 1:
            raise ValueError("rate must be >= 1")
        self.rate = rate
        self.window = window + margin
        self._clock = clock
        self._sleep = sleep
        self._sent: deque[float] = deque()
        self._lock = threading.Lock()

    def acquire(self) -> float:
        """Block until a request may be sent; returns the seconds waited."""
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock()
                while self._sent and now - self._sent[0] >= self.window - _EPSILON:
                    self._sent.popleft()
                if len(self._sent) < self.rate:
                    self._sent.append(now)
                    return waited
                pause = self.window - (now - self._sent[0])
            self._sleep(pause)
            waited += pause


class LimiterRegistry:
    """One limiter per account for the whole process (shared by every client instance).

    `factory(key)` builds an account's limiter: in Lambda, the in-process window
    chained with the account's shared budget (`dealcopy.amo.budget.SharedBudget`).
    """

    def __init__(self, factory: Callable[[str], Limiter]) -> None:
        self._factory = factory
        self._limiters: dict[str, Limiter] = {}
        self._lock = threading.Lock()

    def for_account(self, key: str) -> Limiter:
        with self._lock:
            limiter = self._limiters.get(key)
            if limiter is None:
                limiter = self._limiters[key] = self._factory(key)
            return limiter
