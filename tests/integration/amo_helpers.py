"""Builds real clients against the emulator for integration tests."""

from __future__ import annotations

from dealcopy.amo.budget import Limiter
from dealcopy.amo.client import AmoClient
from dealcopy.amo.counting import RequestCounter
from dealcopy.amo.ratelimit import SlidingWindowLimiter
from dealcopy.amo.retry import RetryPolicy
from dealcopy.amo.tokens import StaticToken, TokenProvider
from tests.support.rate import AMO_RATE


def client(
    url: str,
    tokens: TokenProvider | str,
    *,
    limiter: Limiter | None = None,
    deadline: float = 20.0,
    attempts: int = 8,
    timeout: float = 5.0,
    counter: RequestCounter | None = None,
) -> AmoClient:
    return AmoClient(
        url,
        StaticToken(tokens) if isinstance(tokens, str) else tokens,
        limiter=limiter or SlidingWindowLimiter(rate=AMO_RATE),
        account_key="test",
        policy=RetryPolicy(max_attempts=attempts, base=0.1, cap=1.0, deadline=deadline),
        counter=counter or RequestCounter(),
        timeout=timeout,
    )
