"""What the schedule domain needs from the outside, as Protocols (adapters: `aws_scheduler`,
`dealcopy.storage.schedules`; tests use the same adapters over moto)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from dealcopy.records.schedule import PendingCopy, Repeat


@dataclass(frozen=True)
class ScheduleInfo:
    name: str
    enabled: bool
    expression: str = ""  # not in list results (only `get` has it)
    timezone: str = ""


class Scheduler(Protocol):
    def put_once(self, name: str, at: datetime, input: str, group_id: str) -> None:
        """Create or replace a one-time schedule firing at `at` (aware) that deletes itself after."""

    def put_recurring(
        self,
        name: str,
        expression: str,
        timezone: str,
        input: str,
        group_id: str,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
    ) -> None:
        """Create or replace a `cron(...)`/`rate(...)` schedule in `timezone`."""

    def set_enabled(self, name: str, enabled: bool) -> bool:
        """Pause/resume; False when there is no such schedule."""

    def delete(self, name: str) -> bool:
        """False when there was no such schedule."""

    def list(self, prefix: str) -> list[ScheduleInfo]: ...


class FireBacklog(Protocol):
    def add_fire(self, account_id: int, due: datetime, body: str, name: str) -> None:
        """Make a fire readable by the worker of its account from `due` on (`storage.backlog`)."""


class ScheduleStore(Protocol):
    def create_repeat(self, repeat: Repeat) -> tuple[Repeat, bool]:
        """Store a new repeat; (the stored one, False) when its id exists already."""

    def get_repeat(self, account_id: int, repeat_id: str) -> Repeat | None: ...

    def list_repeats(self, account_id: int, lead_id: int | None = None) -> list[Repeat]: ...

    def save_repeat(self, repeat: Repeat) -> None: ...

    def delete_repeat(self, account_id: int, repeat_id: str) -> bool: ...

    def claim_occurrence(self, account_id: int, owner_id: str, scheduled: datetime, job_id: str) -> bool:
        """True for the first delivery of an occurrence, False for every later one."""

    def put_pending(self, pending: PendingCopy) -> None: ...

    def get_pending(self, account_id: int, pending_id: str) -> PendingCopy | None: ...

    def list_pending(self, account_id: int, lead_id: int | None = None) -> list[PendingCopy]: ...

    def delete_pending(self, account_id: int, pending_id: str) -> bool: ...

    def mark_cancelled(self, pending: PendingCopy) -> None: ...

    def was_cancelled(self, account_id: int, pending_id: str) -> bool: ...
    def replace_pending(self, pending: PendingCopy) -> bool:
        """Store a re-planned copy only if it is still there and not being made."""

    def claim_pending(self, account_id: int, pending_id: str) -> bool:
        """Mark the copy as being made (again, on a later delivery); False when it was cancelled."""

    def delete_unclaimed_pending(self, account_id: int, pending_id: str) -> bool:
        """Delete the copy unless it is being made; False when it is gone or being made."""
