"""Repeats and delayed copies end to end over moto: adapter, repository and the local firer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from dealcopy.records.repeat_calendar import RepeatChange, RepeatRequest, parse
from dealcopy.records.schedule import PendingCopy, RepeatState
from dealcopy.records.schedule_errors import (
    IdempotencyKeyReused,
    RepeatNotFound,
    ScheduledCopyFiring,
    ScheduledCopyNotFound,
    ScheduleInvalid,
)
from dealcopy.records.schedule_ids import pending_id
from dealcopy.records.scheduled_fire import ScheduledFire, Skipped
from dealcopy.schedules.delayed import Cancelled, CopyNow, DelayedCopies, Rescheduled
from dealcopy.schedules.repeats import OccurrenceCopy, Repeats
from dealcopy.storage.schedules import ScheduleRepository
from devstack.event_scheduler import EventScheduler
from tests.schedules.conftest import make_pending
from tests.schedules.test_event_scheduler import drain

MSK = ZoneInfo("Europe/Moscow")
NOW = datetime(2031, 1, 10, tzinfo=UTC)  # "now" for the services: before every occurrence below
REQUEST = {
    "lead_id": 101,
    "rule": {"pipeline_id": 1, "status_id": 2, "name_template": "{name} #{n}"},
    "every": {"unit": "month", "n": 1},
    "at": "10:00",
    "start": "2031-01-31",
    "count": 3,
    "idempotency_key": "renewal-101",
}


def msk(month: int, day: int) -> datetime:
    return datetime(2031, month, day, 10, tzinfo=MSK).astimezone(UTC)


@pytest.fixture
def world(aws):
    store = ScheduleRepository(aws.table("JobsTable"))
    aws.repeats = Repeats(aws.scheduler, store)
    aws.delayed = DelayedCopies(aws.scheduler, store)
    aws.firer = EventScheduler(aws.client, aws.sqs, interval=0)
    return aws


def fires_until(world, now: datetime) -> list[ScheduledFire]:
    world.firer.run_due(now)
    return [ScheduledFire.model_validate_json(m["Body"]) for m in drain(world.sqs, world.queue_url)]


def handle(world, fire: ScheduledFire) -> OccurrenceCopy | Skipped:
    decision = world.repeats.on_fire(fire)
    if isinstance(decision, OccurrenceCopy):
        world.repeats.advance(decision, NOW)
    return decision


def test_monthly_repeat_from_31_january(world):
    request = parse(RepeatRequest, REQUEST)
    repeat, created = world.repeats.create(7, request, timezone="Europe/Moscow", now=NOW)
    assert created and (repeat.next_n, repeat.next_at) == (1, msk(2, 28))
    assert world.repeats.create(7, request, timezone="Europe/Moscow", now=NOW)[1] is False
    with pytest.raises(IdempotencyKeyReused):
        world.repeats.create(7, parse(RepeatRequest, {**REQUEST, "lead_id": 5}), timezone="UTC", now=NOW)

    made = []
    for due in (msk(2, 28), msk(3, 31), msk(4, 30)):
        assert fires_until(world, due - timedelta(minutes=1)) == []
        [fire] = fires_until(world, due)
        decision = handle(world, fire)
        assert isinstance(decision, OccurrenceCopy)
        made.append((decision.occurrence.n, decision.occurrence.at, decision.name_values["date"]))
    assert made == [(1, msk(2, 28), "28.02.2031"), (2, msk(3, 31), "31.03.2031"), (3, msk(4, 30), "30.04.2031")]
    finished = world.repeats.get(7, repeat.repeat_id)
    assert finished.state is RepeatState.FINISHED and finished.fired == 3
    assert fires_until(world, msk(6, 1)) == []
    assert world.scheduler.list(repeat.repeat_id) == []


def test_a_second_delivery_is_a_no_op_and_a_crash_resumes(world):
    repeat, _ = world.repeats.create(7, parse(RepeatRequest, REQUEST), timezone="Europe/Moscow", now=NOW)
    [fire] = fires_until(world, msk(2, 28))
    first = world.repeats.on_fire(fire)
    resumed = world.repeats.on_fire(fire)  # delivered again before it advanced (a crash in between)
    assert isinstance(resumed, OccurrenceCopy) and resumed.job_id == first.job_id
    world.repeats.advance(first, NOW)
    assert world.repeats.on_fire(fire) == Skipped("stale")
    assert [s.name for s in world.scheduler.list(repeat.repeat_id)] == [f"{repeat.repeat_id}-20310331T0700"]


def test_pause_resume_change_and_delete(world):
    repeat, _ = world.repeats.create(7, parse(RepeatRequest, REQUEST), timezone="Europe/Moscow", now=NOW)
    [fire] = fires_until(world, msk(2, 28))
    handle(world, fire)
    paused = world.repeats.pause(7, repeat.repeat_id)
    assert paused.state is RepeatState.PAUSED and world.scheduler.list(repeat.repeat_id) == []
    assert fires_until(world, msk(3, 31)) == []
    resumed = world.repeats.resume(7, repeat.repeat_id, msk(4, 1))
    assert (resumed.state, resumed.next_n, resumed.next_at) == (RepeatState.ACTIVE, 3, msk(4, 30))
    changed = world.repeats.change(7, repeat.repeat_id, parse(RepeatChange, {"at": "12:30", "count": 5}), msk(4, 1))
    assert changed.next_at == datetime(2031, 4, 30, 12, 30, tzinfo=MSK)
    assert [s.name for s in world.scheduler.list(repeat.repeat_id)] == [f"{repeat.repeat_id}-20310430T0930"]
    world.repeats.change(7, repeat.repeat_id, parse(RepeatChange, {"paused": True}), msk(4, 1))
    assert world.scheduler.list(repeat.repeat_id) == []
    world.repeats.delete(7, repeat.repeat_id)
    with pytest.raises(RepeatNotFound):
        world.repeats.get(7, repeat.repeat_id)
    assert world.scheduler.list("") == []


def test_a_repeat_stops_itself_and_bad_calendars_are_refused(world):
    repeat, _ = world.repeats.create(7, parse(RepeatRequest, REQUEST), timezone="Europe/Moscow", now=NOW)
    world.repeats.stop(7, repeat.repeat_id, "repeat-source-deleted")
    stopped = world.repeats.get(7, repeat.repeat_id)
    assert (stopped.state, stopped.stop_code) == (RepeatState.STOPPED, "repeat-source-deleted")
    assert world.scheduler.list(repeat.repeat_id) == []
    past = parse(RepeatRequest, {**REQUEST, "idempotency_key": "old", "start": "2020-01-31"})
    with pytest.raises(ScheduleInvalid) as caught:
        world.repeats.create(7, past, timezone="Europe/Moscow", now=NOW)
    assert [p.path for p in caught.value.problems] == ["start"]
    never = parse(RepeatRequest, {**REQUEST, "idempotency_key": "never", "until": "2031-02-27", "count": None})
    with pytest.raises(ScheduleInvalid):
        world.repeats.create(7, never, timezone="Europe/Moscow", now=NOW)


# --- delayed copies ---------------------------------------------------------------------------

FIELD = 7001


def lead(end: datetime | None, status_id: int = 5) -> dict:
    values = [{"field_id": FIELD, "values": [{"value": int(end.timestamp())}]}] if end else []
    return {"id": 101, "status_id": status_id, "custom_fields_values": values}


def pending(due: datetime, cancel_if_closed: bool = True) -> PendingCopy:
    return make_pending(due, field_id=FIELD, cancel_if_closed=cancel_if_closed, event_time=int(NOW.timestamp()))


def test_a_delayed_copy_fires_at_its_minute_and_follows_a_moved_date(world):
    end = datetime(2031, 6, 1, tzinfo=MSK)
    due = msk(5, 2)
    assert world.delayed.plan(pending(due), NOW) is True
    assert [p.due_at for p in world.delayed.pending(7, lead_id=101)] == [due]
    assert fires_until(world, due - timedelta(minutes=1)) == []
    [fire] = fires_until(world, due)
    moved = world.delayed.on_fire(fire, lead(end + timedelta(days=7)), NOW)
    assert moved == Rescheduled(msk(5, 9))
    assert world.delayed.on_fire(fire, lead(end + timedelta(days=7)), NOW) == Skipped("stale")
    [later] = fires_until(world, msk(5, 9))
    decision = world.delayed.on_fire(later, lead(end + timedelta(days=7)), NOW)
    assert isinstance(decision, CopyNow) and decision.pending.job_id == "dp-1"
    world.delayed.finish(decision.pending)
    assert world.delayed.on_fire(later, lead(end), NOW) == Skipped("gone")


@pytest.mark.parametrize(
    ("source", "cancel_if_closed", "expected"),
    [
        (None, True, Cancelled("delayed-source-deleted")),
        (lead(datetime(2031, 6, 1, tzinfo=MSK), 143), True, Cancelled("delayed-source-closed")),
        (lead(None), True, Cancelled("delayed-field-empty")),
    ],
)
def test_a_delayed_copy_is_cancelled(world, source, cancel_if_closed, expected):
    world.delayed.plan(pending(msk(5, 2), cancel_if_closed), NOW)
    [fire] = fires_until(world, msk(5, 2))
    assert world.delayed.on_fire(fire, source, NOW) == expected
    assert world.delayed.pending(7) == []


def test_closed_but_not_cancelled_copies_and_past_due_and_cancel(world):
    world.delayed.plan(pending(msk(5, 2), cancel_if_closed=False), NOW)
    [fire] = fires_until(world, msk(5, 2))
    assert isinstance(world.delayed.on_fire(fire, lead(datetime(2031, 6, 1, tzinfo=MSK), 142), NOW), CopyNow)
    assert world.delayed.plan(pending(NOW - timedelta(minutes=1)), NOW) is False  # due already: copy at once
    world.delayed.plan(pending(msk(5, 2)), NOW)
    world.delayed.cancel(7, pending_id(7, "dp-1"))
    assert world.scheduler.list(pending_id(7, "dp-1")) == [] and world.delayed.pending(7) == []


class CancelRightAfterTheFireReads(ScheduleRepository):
    """The real store, with a person's cancel landing between the fire's read and its next write
    (an HTTP request and the worker are not serialised)."""

    def __init__(self, table, cancel) -> None:
        super().__init__(table)
        self.cancel = cancel
        self.armed = False

    def get_pending(self, account_id, pending_id):
        found = super().get_pending(account_id, pending_id)
        if self.armed:
            self.armed = False
            self.cancel()
        return found


@pytest.mark.parametrize("moved", [False, True], ids=["due-now", "date-moved"])
def test_a_copy_cancelled_while_its_fire_runs_stays_cancelled(aws, moved):
    delayed: DelayedCopies | None = None
    store = CancelRightAfterTheFireReads(aws.table("JobsTable"), lambda: delayed.cancel(7, pending_id(7, "dp-1")))
    delayed = DelayedCopies(aws.scheduler, store)
    world = SimpleNamespace(**vars(aws), firer=EventScheduler(aws.client, aws.sqs, interval=0))
    end = datetime(2031, 6, 1, tzinfo=MSK)
    delayed.plan(pending(msk(5, 2)), NOW)
    [fire] = fires_until(world, msk(5, 2))
    store.armed = True
    decision = delayed.on_fire(fire, lead(end + timedelta(days=7) if moved else end), NOW)
    # no copy is made, nothing is re-planned: the list stays empty and nothing fires later
    assert decision == Skipped("gone")
    assert delayed.pending(7) == []
    assert fires_until(world, msk(5, 10)) == []


def test_a_cancel_after_the_fire_claimed_the_copy_says_it_is_being_made(world):
    world.delayed.plan(pending(msk(5, 2)), NOW)
    [fire] = fires_until(world, msk(5, 2))
    decision = world.delayed.on_fire(fire, lead(datetime(2031, 6, 1, tzinfo=MSK)), NOW)
    assert isinstance(decision, CopyNow)
    with pytest.raises(ScheduledCopyFiring):
        world.delayed.cancel(7, pending_id(7, "dp-1"))
    # a second delivery of the same fire still makes the copy (the job id is the same)
    again = world.delayed.on_fire(fire, lead(datetime(2031, 6, 1, tzinfo=MSK)), NOW)
    assert isinstance(again, CopyNow) and again.pending.job_id == decision.pending.job_id
    world.delayed.finish(decision.pending)
    with pytest.raises(ScheduledCopyNotFound):
        world.delayed.cancel(7, pending_id(7, "dp-1"))
