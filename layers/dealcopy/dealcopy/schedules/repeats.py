"""Repeats as a chain of one-time schedules: each occurrence is an `at(...)` schedule, and the
fire of one arms the next.

Why not `cron`/`rate`: neither says "every N days/weeks from the start" (cron restarts its day
steps each month, rate ignores the zone's DST), cron cannot say "the 30th, or the month's last
day" (only 31 -> `L` works), and neither knows `count`. A chain is exact for every unit and N,
DST included (our time math resolves local times), the pending occurrence is always visible
as a schedule, and pausing is deleting it. Cost: one CreateSchedule per occurrence.

An occurrence is handled in two steps so a crash loses nothing: `on_fire` claims it and says
what to copy (its job id is deterministic: the job record makes the copy exactly-once), then
`advance` arms the next occurrence. A later delivery of an occurrence that already advanced is
a no-op; one that comes while the repeat still waits on it (a crash in between) resumes.

An uninstall stops every repeat of the account (`stop_code: uninstalled`, nothing armed); after a
re-install they are listed as stopped and a person resumes each (`RESUMABLE`), never the system.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dealcopy.copying.errors import RuleProblem
from dealcopy.fingerprints import body_fingerprint
from dealcopy.records.repeat_calendar import RepeatChange, RepeatRequest, RepeatSchedule
from dealcopy.records.schedule import Repeat, RepeatState
from dealcopy.records.schedule_errors import IdempotencyKeyReused, RepeatNotFound, ScheduleInvalid
from dealcopy.records.schedule_ids import occurrence_job_id, repeat_id, schedule_name
from dealcopy.records.scheduled_fire import ScheduledFire, Skipped, fire_input
from dealcopy.schedules.ports import Scheduler, ScheduleStore
from dealcopy.schedules.timemath import Occurrence, check_schedule, minute, name_values, next_occurrence

UNINSTALLED = "uninstalled"  # the stop code of a repeat the account's uninstall stopped
DISCONNECTED = "disconnected"  # it fell due while amoCRM refused our tokens (until a re-install)
RESUMABLE = frozenset({UNINSTALLED, DISCONNECTED})  # stops a person may undo (a deleted source stays stopped)


@dataclass(frozen=True)
class OccurrenceCopy:
    """Copy the repeat's source now: `job_id` names the job, `name_values` fill `{n}`/`{date}`."""

    repeat: Repeat
    occurrence: Occurrence
    job_id: str
    name_values: dict[str, Any]


class Repeats:
    def __init__(self, scheduler: Scheduler, store: ScheduleStore) -> None:
        self._scheduler = scheduler
        self._store = store

    # --- requests -------------------------------------------------------------------------

    def create(
        self, account_id: int, request: RepeatRequest, *, timezone: str, now: datetime, user_id: int | None = None
    ) -> tuple[Repeat, bool]:
        """Store and arm a repeat; the same idempotency key again returns the first one."""
        schedule = request.schedule(timezone)
        upcoming = _upcoming(schedule, now)
        repeat = Repeat(
            account_id=account_id,
            repeat_id=repeat_id(account_id, request.idempotency_key),
            lead_id=request.lead_id,
            rule=_canonical(request.rule),
            preset_id=request.preset_id,
            overrides=request.overrides,
            schedule=schedule,
            next_n=upcoming.n,
            next_at=upcoming.at,
            request_hash=body_fingerprint(request.model_dump(mode="json")),
            created_by=user_id,
        )
        stored, created = self._store.create_repeat(repeat)
        if not created and stored.request_hash != repeat.request_hash:
            raise IdempotencyKeyReused()
        if stored.state is RepeatState.ACTIVE:
            self._arm(stored)  # a replay after a crash between the two writes arms it
        return stored, created

    def pause(self, account_id: int, rid: str) -> Repeat:
        repeat = self.get(account_id, rid)
        if repeat.state is RepeatState.ACTIVE:
            self._disarm(repeat)
            self._save(repeat, RepeatState.PAUSED, None)
        return repeat

    def resume(self, account_id: int, rid: str, now: datetime) -> Repeat:
        """Continues with the next occurrence after `now`; those missed while paused are skipped."""
        repeat = self.get(account_id, rid)
        if repeat.state is RepeatState.PAUSED:
            self._restart(repeat, now)
        return repeat

    def change(self, account_id: int, rid: str, change: RepeatChange, now: datetime) -> Repeat:
        """A new calendar and/or pause state; the pending occurrence is re-armed from `now`."""
        repeat = self.get(account_id, rid)
        if change.changes_calendar:
            repeat.schedule = change.apply(repeat.schedule)
            _valid(repeat.schedule)
        if repeat.state is RepeatState.STOPPED and not (repeat.stop_code in RESUMABLE and change.paused is False):
            self._store.save_repeat(repeat)
            return repeat
        repeat.stop_code = None
        paused = repeat.state is RepeatState.PAUSED if change.paused is None else change.paused
        self._disarm(repeat)
        if paused:
            self._save(repeat, RepeatState.PAUSED, None)
        else:
            self._restart(repeat, now)
        return repeat

    def delete(self, account_id: int, rid: str) -> None:
        repeat = self.get(account_id, rid)
        self._disarm(repeat)
        self._store.delete_repeat(account_id, rid)

    def stop(self, account_id: int, rid: str, code: str) -> None:
        """The repeat stops itself (its source was deleted, ...), keeping `code` as the reason."""
        repeat = self.get(account_id, rid)
        self._disarm(repeat)
        repeat.stop_code = code
        self._save(repeat, RepeatState.STOPPED, None)

    def stop_all(self, account_id: int, code: str = UNINSTALLED) -> int:
        """Stop every active or paused repeat of the account (its schedule deleted); returns how many."""
        stopped = 0
        for repeat in self._store.list_repeats(account_id):
            if repeat.state in (RepeatState.ACTIVE, RepeatState.PAUSED):
                self._disarm(repeat)
                repeat.stop_code = code
                self._save(repeat, RepeatState.STOPPED, None)
                stopped += 1
        return stopped

    def list(self, account_id: int, lead_id: int | None = None) -> list[Repeat]:
        return self._store.list_repeats(account_id, lead_id)

    def get(self, account_id: int, rid: str) -> Repeat:
        repeat = self._store.get_repeat(account_id, rid)
        if repeat is None:
            raise RepeatNotFound(repeat_id=rid)
        return repeat

    # --- fires ----------------------------------------------------------------------------

    def on_fire(self, fire: ScheduledFire) -> OccurrenceCopy | Skipped:
        """What one delivery of an occurrence means: copy now, or nothing (and why)."""
        repeat = self._store.get_repeat(fire.account_id, fire.id)
        if repeat is None:
            return Skipped("gone")
        at = minute(fire.scheduled_at)
        if repeat.state is not RepeatState.ACTIVE or repeat.next_at is None:
            return Skipped("inactive")
        if minute(repeat.next_at) != at:
            return Skipped("stale")  # an occurrence already handled, or one of a changed calendar
        job_id = occurrence_job_id(repeat.repeat_id, at)
        self._store.claim_occurrence(repeat.account_id, repeat.repeat_id, at, job_id)  # first or a resume
        occurrence = Occurrence(repeat.next_n or 0, at)
        return OccurrenceCopy(repeat, occurrence, job_id, name_values(repeat.schedule, occurrence))

    def advance(self, fired: OccurrenceCopy, now: datetime) -> Repeat:
        """After the occurrence's job exists: arm the next occurrence (or finish the repeat)."""
        repeat = fired.repeat
        repeat.fired += 1
        repeat.last_fired_at = fired.occurrence.at
        upcoming = next_occurrence(repeat.schedule, max(fired.occurrence.at, now))
        if upcoming is None:
            self._save(repeat, RepeatState.FINISHED, None)
        else:
            self._save(repeat, RepeatState.ACTIVE, upcoming)
            self._arm(repeat)
        return repeat

    # --- helpers --------------------------------------------------------------------------

    def _restart(self, repeat: Repeat, now: datetime) -> None:
        """Arm the first occurrence after `now`, and never one at or before the last that fired."""
        after = max(now, repeat.last_fired_at) if repeat.last_fired_at else now
        upcoming = next_occurrence(repeat.schedule, after)
        self._save(repeat, RepeatState.FINISHED if upcoming is None else RepeatState.ACTIVE, upcoming)
        if upcoming is not None:
            self._arm(repeat)

    def _save(self, repeat: Repeat, state: RepeatState, upcoming: Occurrence | None) -> None:
        repeat.state = state
        repeat.next_n, repeat.next_at = (upcoming.n, upcoming.at) if upcoming else (None, None)
        self._store.save_repeat(repeat)

    def _arm(self, repeat: Repeat) -> None:
        assert repeat.next_at is not None
        name = schedule_name(repeat.repeat_id, repeat.next_at)
        message = fire_input("repeat", repeat.account_id, repeat.repeat_id)
        self._scheduler.put_once(name, repeat.next_at, message, str(repeat.account_id))

    def _disarm(self, repeat: Repeat) -> None:
        """Delete the one armed schedule, found by name: earlier ones deleted themselves after firing, and
        no ListSchedules right is needed (IAM cannot scope it to a group)."""
        if repeat.next_at is not None:
            self._scheduler.delete(schedule_name(repeat.repeat_id, repeat.next_at))


def _valid(schedule: RepeatSchedule) -> None:
    problems = check_schedule(schedule)
    if problems:
        raise ScheduleInvalid(problems)


def _upcoming(schedule: RepeatSchedule, now: datetime) -> Occurrence:
    _valid(schedule)
    upcoming = next_occurrence(schedule, now)
    if upcoming is None:
        raise ScheduleInvalid([RuleProblem("start", "repeat-all-past")])
    return upcoming


def _canonical(rule: dict[str, Any] | None) -> str | None:
    return None if rule is None else json.dumps(rule, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
