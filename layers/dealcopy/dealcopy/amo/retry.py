"""Retry policy: jittered exponential backoff bounded by a total deadline."""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class RetryPolicy:
    """`max_attempts` tries in all, never past `deadline` seconds from the first send."""

    max_attempts: int = 6
    base: float = 0.25
    cap: float = 4.0
    deadline: float = 25.0

    def backoff(self, attempt: int, retry_after: float | None = None) -> float:
        """Full-jitter delay before attempt `attempt + 1`; amoCRM's retry_after is a floor."""
        delay = random.uniform(0, min(self.cap, self.base * 2**attempt))
        return max(delay, retry_after or 0.0)
