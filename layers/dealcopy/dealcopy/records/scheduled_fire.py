"""The message a schedule delivers into the copy queue, and how it is written into a schedule.

EventBridge Scheduler substitutes `<aws.scheduler.scheduled-time>` in the target's input on
every invocation; that time names the occurrence (de-duplication key with the repeat or the
pending copy). The body holds nothing per attempt (no execution id), so a repeated delivery
is byte-identical and FIFO content-based de-duplication drops it within 5 minutes; past that,
the occurrence claim in DynamoDB makes it a no-op.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

SCHEDULED_TIME = "<aws.scheduler.scheduled-time>"
FireKind = Literal["repeat", "delayed"]


class ScheduledFire(BaseModel):
    """`{"scheduled": "repeat"|"delayed", ...}`: told apart from a `JobMessage` by `scheduled`."""

    model_config = ConfigDict(frozen=True)

    v: int = 1
    scheduled: FireKind
    account_id: int
    id: str  # repeat id or pending copy id
    time: str  # the scheduled time, RFC 3339 UTC (filled in by the scheduler)

    @property
    def scheduled_at(self) -> datetime:
        return datetime.fromisoformat(self.time.replace("Z", "+00:00")).astimezone(UTC)

    @property
    def occurrence(self) -> tuple[str, int, str, str]:
        """What names one fire whatever its bytes: kind, account, owner and the minute it was due."""
        return self.scheduled, self.account_id, self.id, f"{self.scheduled_at:%Y%m%dT%H%M}"


@dataclass(frozen=True)
class Skipped:
    """A delivery that changes nothing: gone | inactive | stale (already handled or re-planned)."""

    reason: str


def fire_input(kind: FireKind, account_id: int, target_id: str) -> str:
    """The target `Input` of a schedule: the message with the scheduled time left to the scheduler."""
    body = {"v": 1, "scheduled": kind, "account_id": account_id, "id": target_id, "time": SCHEDULED_TIME}
    return json.dumps(body, separators=(",", ":"))


def as_delivered(input: str, at: datetime) -> str:
    """A schedule's `Input` as the scheduler delivers it at `at` (its time placeholder filled, in its format)."""
    return input.replace(SCHEDULED_TIME, f"{at.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}")


def is_scheduled_fire(body: str | dict) -> bool:
    """Whether a queue message body is a schedule's fire (the worker's first branch)."""
    data = json.loads(body) if isinstance(body, str) else body
    return isinstance(data, dict) and data.get("scheduled") in ("repeat", "delayed")
