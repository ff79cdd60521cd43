"""When a manual copy must have answered: API Gateway gives up 29 s after the request arrived.

A Lambda killed mid-way leaves the widget with a gateway error and no word on the copy; so
the copy checks the time left before each amoCRM step and, with less than the margin left,
stops with `CopyPending` (202: a retry with the same key finishes it). The time left is the
smaller of the Lambda's remaining time and the gateway's limit counted from the request's
arrival (`requestContext.timeEpoch`, so time spent before the handler counts too).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from dealcopy.usecases.errors import CopyPending

RESERVE = 2.0  # seconds kept after the last amoCRM request: the checkpoint, the activity, the answer


@dataclass(frozen=True)
class Deadline:
    stop_at: float  # time.monotonic() by which the answer must be out
    margin: float  # no amoCRM step starts with less than this left

    @classmethod
    def of_request(
        cls, *, arrived_at: float | None, lambda_left_ms: int | None, limit: float, margin: float
    ) -> Deadline:
        """`arrived_at`: unix time the gateway got the request (None: now); `lambda_left_ms`: the context's."""
        now = time.time()
        left = limit - max(0.0, now - (arrived_at or now))
        if lambda_left_ms is not None:
            left = min(left, lambda_left_ms / 1000)
        return cls(stop_at=time.monotonic() + left, margin=margin)

    def left(self) -> float:
        return self.stop_at - time.monotonic()

    def requests_stop_at(self) -> float:
        """When amoCRM requests must give up, so that the answer still fits."""
        return self.stop_at - min(RESERVE, self.margin / 2)

    def allows(self, seconds: float = 0.0) -> bool:
        """Is there time for `seconds` of waiting plus one more step?"""
        return self.left() >= self.margin + seconds

    def ensure(self, key: str, lead_id: int | None = None, seconds: float = 0.0) -> None:
        """Raise `CopyPending` unless `allows(seconds)`."""
        if not self.allows(seconds):
            data = {"idempotency_key": key, "retry_after": 1}
            raise CopyPending(**data, **({"lead_id": lead_id} if lead_id is not None else {}))
