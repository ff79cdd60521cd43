"""Per-account sliding-window rate limit and the block that follows repeated excess.

amoCRM allows 7 requests per second; the 8th in any 1-second window gets 429.
Hammering on (many 429s in a short time) blocks the whole account with 403.
Every request that reaches an API route counts, including the ones answered 429.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import asdict, dataclass
from typing import Any

from starlette.responses import Response

from .problems import PROBLEM_JSON, json_response, problem, problem_body

OK = "ok"
LIMITED = "limited"
BLOCKED = "blocked"


@dataclass
class LimitConfig:
    rate: int = 7
    window: float = 1.0
    block_after: int | None = 30  # more than this many 429s within block_window -> blocked; None disables
    block_window: float = 10.0
    block_seconds: float = 60.0
    retry_after_header: bool = False

    def update(self, changes: dict[str, Any]) -> None:
        for key, value in changes.items():
            if not hasattr(self, key):
                raise ValueError(f"unknown limit setting: {key}")
            setattr(self, key, value)
        if self.rate < 1 or self.window <= 0:
            raise ValueError("rate must be >= 1 and window > 0")

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class RateLimiter:
    def __init__(self, config: LimitConfig | None = None) -> None:
        self.config = config or LimitConfig()
        self._hits: deque[float] = deque()
        self._rejections: deque[float] = deque()
        self.blocked_until = 0.0

    def check(self, now: float) -> str:
        """Register one request arriving at ``now`` and say how to answer it."""
        cfg = self.config
        if now < self.blocked_until:
            return BLOCKED
        while self._hits and self._hits[0] <= now - cfg.window:
            self._hits.popleft()
        limited = len(self._hits) >= cfg.rate
        self._hits.append(now)
        if not limited:
            return OK
        self._rejections.append(now)
        while self._rejections and self._rejections[0] <= now - cfg.block_window:
            self._rejections.popleft()
        if cfg.block_after is not None and len(self._rejections) > cfg.block_after:
            self.blocked_until = now + cfg.block_seconds
            self._rejections.clear()
        return LIMITED

    def unblock(self) -> None:
        self.blocked_until = 0.0


def too_many_requests(config: LimitConfig) -> Response:
    retry_after = max(1, math.ceil(config.window))
    body = problem_body(429, "Too many requests", retry_after=retry_after)
    response = json_response(body, 429, PROBLEM_JSON)
    if config.retry_after_header:
        response.headers["Retry-After"] = str(retry_after)
    return response


def blocked() -> Response:
    return problem(403, "Blocked for exceeding the request limit")
