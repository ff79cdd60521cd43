"""A deliberate test seam: make the worker crash right after a step, as a killed Lambda would.

Enabled only by `TEST_SEAMS=true` (the local stack sets it; template.yaml never does).
Tests arm a crash with `Seams.arm(point, count)` (a counter in the jobs table); the worker
then raises `SimulatedCrash` at that point, out of the handler, so the whole batch is
retried exactly as after a timeout or an out-of-memory kill. Points: `create.sent` (amoCRM
created the leads, no checkpoint yet), `create.saved`, `link.sent`, `link.saved`, `notes.sent`.
"""

from __future__ import annotations

from dealcopy.records.ports import CountdownStorage

# `manual.create.sent`: a manual copy (`usecases.copies`) crashes after amoCRM made its lead, before its checkpoint.
POINTS = ("create.sent", "create.saved", "link.sent", "link.saved", "notes.sent", "manual.create.sent")


class SimulatedCrash(Exception):
    """Raised by an armed seam; never caught by the worker."""


class Seams:
    def __init__(self, countdowns: CountdownStorage, enabled: bool) -> None:
        self._countdowns = countdowns
        self._enabled = enabled
        self._armed: set[str] | None = None

    def arm(self, point: str, count: int = 1) -> None:
        """Crash the next `count` times the worker passes `point` (0 disarms)."""
        if point not in POINTS:
            raise ValueError(f"unknown crash point {point!r}")
        self._countdowns.arm(point, count)

    def begin(self) -> None:
        """Once per invocation: which points are armed (one read, only when enabled)."""
        self._armed = None
        if self._enabled:
            self._armed = self._countdowns.armed()

    def crash_point(self, point: str) -> None:
        if self._armed and point in self._armed and self._countdowns.take(point):
            raise SimulatedCrash(point)
