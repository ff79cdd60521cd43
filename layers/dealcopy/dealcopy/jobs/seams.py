"""A deliberate test seam: make the worker crash right after a step, as a killed Lambda would.

Enabled only by `TEST_SEAMS=true` (the local stack sets it; template.yaml never does).
Tests arm a crash with `JobStore.arm_crash(point, count)`; the worker then raises
`SimulatedCrash` at that point, out of the handler, so the whole batch is retried exactly
as after a timeout or an out-of-memory kill. Points: `create.sent` (amoCRM created the
leads, no checkpoint yet), `create.saved`, `link.sent`, `link.saved`, `notes.sent`.
"""

from __future__ import annotations

from typing import Any


class SimulatedCrash(Exception):
    """Raised by an armed seam; never caught by the worker."""


class Seams:
    def __init__(self, store: Any, enabled: bool) -> None:
        self._store = store
        self._enabled = enabled
        self._armed: set[str] | None = None

    def begin(self) -> None:
        """Once per invocation: which points are armed (one read, only when enabled)."""
        self._armed = None
        if self._enabled:
            self._armed = self._store.armed_crashes()

    def crash_point(self, point: str) -> None:
        if self._armed and point in self._armed and self._store.take_crash(point):
            raise SimulatedCrash(point)
