"""Delayed DP copies: the hook plans a copy for later; at due time the fire decides.

At due time the source is read again (by the caller) and: a date field that moved re-plans the
copy (nothing now); a deleted source, or one closed as won/lost (142/143) with
`cancel_if_closed`, cancels it (the caller writes a note on the source saying why, from the
`Cancelled` code); otherwise it becomes the DP job `job_id`, exactly once through the job
record. Schedule names carry the due time, so re-planning never collides with the schedule
that is deleting itself after firing, and a fire at any other time than `due_at` is stale.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from dealcopy.records.schedule import PendingCopy
from dealcopy.records.schedule_errors import ScheduledCopyFiring, ScheduledCopyNotFound
from dealcopy.records.schedule_ids import schedule_name
from dealcopy.records.scheduled_fire import ScheduledFire, Skipped, fire_input
from dealcopy.schedules.ports import Scheduler, ScheduleStore
from dealcopy.schedules.timemath import due_time, minute

CLOSED_STATUSES = frozenset({142, 143})  # won, lost: the same ids in every amoCRM pipeline (C)
RETRY_LATER = timedelta(hours=1)  # amoCRM could not be read at due time (down, host unconfirmed): fire again then


@dataclass(frozen=True)
class CopyNow:
    """Run the DP job `pending.job_id` now, then call `finish`."""

    pending: PendingCopy


@dataclass(frozen=True)
class Rescheduled:
    due_at: datetime


@dataclass(frozen=True)
class Cancelled:
    code: str  # a message code of `messages/schedules.py`: the note on the source


class DelayedCopies:
    def __init__(self, scheduler: Scheduler, store: ScheduleStore) -> None:
        self._scheduler = scheduler
        self._store = store

    def plan(self, pending: PendingCopy, now: datetime) -> bool:
        """Schedule the copy; False when it is due already (the caller copies at once). A copy cancelled
        before (its DP event brought again by the catch-up) stays cancelled: True, nothing planned."""
        if self._store.was_cancelled(pending.account_id, pending.pending_id):
            return True
        if pending.due_at <= now:
            return False
        self._store.put_pending(pending)
        self._arm(pending)
        return True

    def cancel(self, account_id: int, pid: str) -> None:
        pending = self._store.get_pending(account_id, pid)
        if pending is None:
            raise ScheduledCopyNotFound(pending_id=pid)
        # The record first, conditionally: a fire that claimed it is making the copy (never both).
        if not self._store.delete_unclaimed_pending(account_id, pid):
            if self._store.get_pending(account_id, pid) is None:
                raise ScheduledCopyNotFound(pending_id=pid)
            raise ScheduledCopyFiring(pending_id=pid)
        # By name (no ListSchedules right): a schedule left from an earlier due time fires as `gone`.
        self._scheduler.delete(schedule_name(pid, pending.due_at))
        self._store.mark_cancelled(pending)  # a catch-up must not plan it again

    def cancel_all(self, account_id: int) -> int:
        """Cancel every pending copy of the account (an uninstall): schedules and records deleted."""
        pending = self._store.list_pending(account_id)
        for copy in pending:
            self._scheduler.delete(schedule_name(copy.pending_id, copy.due_at))
            self._store.mark_cancelled(copy)
            self._store.delete_pending(account_id, copy.pending_id)
        return len(pending)

    def drop(self, account_id: int, pid: str) -> None:
        """Forget a pending copy whose schedule fired for an account that is gone (nothing to copy)."""
        self._store.delete_pending(account_id, pid)

    def get(self, account_id: int, pid: str) -> PendingCopy | None:
        return self._store.get_pending(account_id, pid)

    def pending(self, account_id: int, lead_id: int | None = None) -> list[PendingCopy]:
        return self._store.list_pending(account_id, lead_id)

    def on_fire(
        self, fire: ScheduledFire, lead: Mapping[str, Any] | None, now: datetime
    ) -> CopyNow | Rescheduled | Cancelled | Skipped:
        """`lead` is the source as amoCRM returns it now (None: deleted)."""
        pending = self._store.get_pending(fire.account_id, fire.id)
        if pending is None:
            return Skipped("gone")
        if minute(fire.scheduled_at) != minute(pending.due_at):
            return Skipped("stale")
        if lead is None or lead.get("is_deleted"):
            return self._cancel(pending, "delayed-source-deleted")
        if pending.delay.cancel_if_closed and int(lead.get("status_id") or 0) in CLOSED_STATUSES:
            return self._cancel(pending, "delayed-source-closed")
        if pending.delay.field is not None:
            due = due_time(pending.delay, event_time=pending.event.time, lead=lead, timezone=pending.timezone)
            if due is None:
                return self._cancel(pending, "delayed-field-empty")
            if due != minute(pending.due_at) and due > now:
                moved = pending.model_copy(update={"due_at": due})
                if not self._store.replace_pending(moved):
                    return Skipped("gone")  # cancelled since it was read: it stays cancelled
                self._arm(moved)
                return Rescheduled(due)
        if not self._store.claim_pending(pending.account_id, pending.pending_id):
            return Skipped("gone")  # cancelled since it was read: no copy
        return CopyNow(pending)

    def postpone(self, fire: ScheduledFire, now: datetime) -> datetime | None:
        """amoCRM could not tell what the source is now: the copy fires again `RETRY_LATER` from now (its
        decision waits, nothing is lost); None when the fire was stale or the copy is gone."""
        pending = self._store.get_pending(fire.account_id, fire.id)
        if pending is None or minute(fire.scheduled_at) != minute(pending.due_at):
            return None
        later = pending.model_copy(update={"due_at": minute(now + RETRY_LATER)})
        self._store.put_pending(later)
        self._arm(later)
        return later.due_at

    def finish(self, pending: PendingCopy) -> None:
        """The job exists now: the pending copy is done (its schedule deleted itself)."""
        self._store.delete_pending(pending.account_id, pending.pending_id)

    def _cancel(self, pending: PendingCopy, code: str) -> Cancelled:
        self._store.mark_cancelled(pending)
        self._store.delete_pending(pending.account_id, pending.pending_id)
        return Cancelled(code)

    def _arm(self, pending: PendingCopy) -> None:
        message = fire_input("delayed", pending.account_id, pending.pending_id)
        name = schedule_name(pending.pending_id, pending.due_at)
        self._scheduler.put_once(name, pending.due_at, message, str(pending.account_id))
