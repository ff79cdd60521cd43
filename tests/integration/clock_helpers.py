"""The local stack's simulated clock for tests of schedules: a stack whose time moves only through
`POST /_devstack/scheduler/run-due`, the emulator's time, and waiting for fired copies to be made."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any

from devstack.http import HTTP
from tests.support.stack import local_stack


@contextmanager
def clocked_stack() -> Iterator[SimpleNamespace]:
    """A stack of its own that runs nothing by itself (no real-time schedules), with a `writer` integration
    that plays a person editing deals in amoCRM."""
    with local_stack("--schedule-interval", "0") as stack:
        stack.control.add_integration("writer", "writer-secret", "https://writer.example/oauth")
        yield stack


def emulator_now(stack) -> datetime:
    seconds = HTTP.get(f"{stack.emulator_url}/_emulator/clock", timeout=10).json()["now"]
    return datetime.fromtimestamp(float(seconds), UTC)


def drain(stack) -> None:
    """Wait until the stack is idle (the worker handled what was fired)."""
    stack.idle(timeout=60)


def once_at_10_msk(start: date, key: str, **what: Any) -> dict[str, Any]:
    """A repeat's body for a single occurrence at 10:00 Moscow one day after `start` (the calendar's anchor);
    `what`: lead_id and rule or preset_id."""
    body = {"every": {"unit": "day", "n": 1}, "at": "10:00", "start": start.isoformat(), "count": 1}
    return {**what, **body, "timezone": "Europe/Moscow", "idempotency_key": key}


def next_fire(repeat: dict[str, Any]) -> datetime:
    """When a repeat (as the API answers it) fires next."""
    return datetime.fromisoformat(repeat["next_at"].replace("Z", "+00:00"))
