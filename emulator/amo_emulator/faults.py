"""Injectable failures for the client's resilience tests.

Two sources per account: counted rules ("the next N requests") and a seeded
random rate.  A faulted request normally never reaches the handler; the
``*_after_commit`` kinds run it and then lie about the outcome, which is how a
real gateway timeout looks to a client.
"""

from __future__ import annotations

import asyncio
import math
import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.responses import Response

from .problems import problem
from .ratelimit import LimitConfig, too_many_requests

KINDS = frozenset(
    {
        "429",
        "429_html",  # a 429 with an HTML page (the SDK handles a non-JSON 429, facts: Limits)
        "429_empty",  # a 429 with no body at all
        "500",
        "502",
        "503",
        "504",
        "slow",
        "timeout",
        "403",
        "500_after_commit",
        "504_after_commit",
    }
)
AFTER_COMMIT = {"500_after_commit": 500, "504_after_commit": 504}
DEFAULT_DELAY = {"slow": 2.0, "timeout": 30.0}

_NGINX_PAGE = (
    "<html>\r\n<head><title>{0}</title></head>\r\n<body>\r\n"
    "<center><h1>{0}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)


@dataclass
class Fault:
    kind: str
    delay: float


@dataclass
class CountedRule:
    kind: str
    remaining: int
    delay: float | None = None
    path_prefix: str | None = None
    method: str | None = None
    path: str | None = None  # exact path (``/api/v4/leads`` but not ``/api/v4/leads/notes``)

    def matches(self, method: str, path: str) -> bool:
        if self.method and self.method.upper() != method.upper():
            return False
        if self.path and self.path != path:
            return False
        return not (self.path_prefix and not path.startswith(self.path_prefix))


@dataclass
class RandomRule:
    rate: float
    kinds: list[str]
    seed: int | None
    delay: float | None = None
    path_prefix: str | None = None
    method: str | None = None
    path: str | None = None

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)


def _check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown fault kind {kind!r}; known: {sorted(KINDS)}")
    return kind


class FaultBook:
    def __init__(self) -> None:
        self.counted: list[CountedRule] = []
        self.random: RandomRule | None = None

    def add(self, spec: dict[str, Any]) -> None:
        """``{kind, count, delay?, path_prefix?, path?, method?}`` or ``{rate, kinds, seed, delay?, ...}``."""
        common = {k: spec.get(k) for k in ("delay", "path_prefix", "method", "path")}
        if "rate" in spec:
            rate = float(spec["rate"])
            kinds = [_check_kind(str(k)) for k in spec.get("kinds") or ["500"]]
            if not 0 <= rate <= 1:
                raise ValueError("rate must be within [0, 1]")
            self.random = RandomRule(rate=rate, kinds=kinds, seed=spec.get("seed"), **common)
            return
        kind = _check_kind(str(spec.get("kind")))
        self.counted.append(CountedRule(kind=kind, remaining=int(spec.get("count", 1)), **common))

    def clear(self) -> None:
        self.counted.clear()
        self.random = None

    def pick(self, method: str, path: str, oauth: bool = False) -> Fault | None:
        """The fault for this request, if any; consumes one use of a counted rule.

        OAuth requests are only faulted by counted rules whose ``path_prefix``
        explicitly targets ``/oauth2`` (never by the random rate).
        """
        for rule in self.counted:
            if oauth and not (rule.path_prefix or "").startswith("/oauth2"):
                continue
            if not rule.matches(method, path):
                continue
            if rule.kind != "403":  # a 403 block stays until the faults are cleared
                rule.remaining -= 1
            if rule.remaining <= 0 and rule.kind != "403":
                self.counted.remove(rule)
            return Fault(rule.kind, _delay(rule.kind, rule.delay))
        rnd = self.random
        if oauth or rnd is None or not rnd.kinds:
            return None
        if rnd.method and rnd.method.upper() != method.upper():
            return None
        if rnd.path_prefix and not path.startswith(rnd.path_prefix):
            return None
        if rnd.path and rnd.path != path:
            return None
        if rnd.rng.random() >= rnd.rate:
            return None
        kind = rnd.rng.choice(rnd.kinds)
        return Fault(kind, _delay(kind, rnd.delay))

    def describe(self) -> dict[str, Any]:
        counted = [vars(rule).copy() for rule in self.counted]
        rnd = self.random
        random_desc = None
        if rnd is not None:
            random_desc = {
                k: getattr(rnd, k) for k in ("rate", "kinds", "seed", "delay", "path_prefix", "method", "path")
            }
        return {"counted": counted, "random": random_desc}


def _delay(kind: str, delay: float | None) -> float:
    return float(delay) if delay is not None else DEFAULT_DELAY.get(kind, 0.0)


def fault_response(kind: str, limits: LimitConfig) -> Response:
    """The answer a faulted request gets (for ``timeout``: after the sleep)."""
    if kind == "429":
        return too_many_requests(limits)
    if kind in ("429_html", "429_empty"):
        # No body to say retry_after in; a Retry-After header is U (facts: Limits), sent when the
        # account's limits ask for it, as with the JSON 429.
        headers = {"Retry-After": str(max(1, math.ceil(limits.window)))} if limits.retry_after_header else None
        if kind == "429_empty":
            return Response(b"", status_code=429, headers=headers)
        page = _NGINX_PAGE.format("429 Too Many Requests")
        return Response(page, status_code=429, media_type="text/html", headers=headers)
    if kind == "403":
        return problem(403, "Account is blocked")
    if kind == "502":
        # A proxy error page, not JSON: what nginx in front of amoCRM sends.
        return Response(_NGINX_PAGE.format("502 Bad Gateway"), status_code=502, media_type="text/html")
    if kind == "503":
        return problem(503, "Service temporarily unavailable")
    if kind in ("504", "timeout", "504_after_commit"):
        return problem(504, "Gateway timeout")
    return problem(500, "Internal server error", trace_id=secrets.token_hex(16))


async def run_faulted(fault: Fault | None, limits: LimitConfig, execute: Callable[[], Response]) -> Response:
    """Answer a request under ``fault``: delay it, replace it, or run it and then fail."""
    if fault is None:
        return execute()
    if fault.kind in ("slow", "timeout"):
        await asyncio.sleep(fault.delay)
    if fault.kind == "slow":
        return execute()
    if fault.kind in AFTER_COMMIT:
        execute()
    return fault_response(fault.kind, limits)
