"""An account's uninstall stops its schedules; a person resumes them; a cancelled delayed copy stays cancelled.

Over moto (the repository and the EventBridge Scheduler adapter), with the local firer.
"""

from __future__ import annotations

from datetime import timedelta

from dealcopy.records.repeat_calendar import RepeatChange, RepeatRequest, parse
from dealcopy.records.schedule import RepeatState
from dealcopy.records.schedule_ids import pending_id
from dealcopy.records.scheduled_fire import Skipped
from dealcopy.schedules.delayed import Cancelled
from dealcopy.schedules.repeats import RESUMABLE, UNINSTALLED
from tests.schedules.test_services import NOW, REQUEST, fires_until, msk, pending
from tests.schedules.test_services import world as services_world

world = services_world  # the same world: repeats and delayed copies over moto, with the local firer


def test_stop_all_disarms_active_and_paused_repeats_and_only_a_person_resumes_them(world):
    active, _ = world.repeats.create(7, parse(RepeatRequest, REQUEST), timezone="Europe/Moscow", now=NOW)
    paused, _ = world.repeats.create(
        7, parse(RepeatRequest, {**REQUEST, "idempotency_key": "p"}), timezone="Europe/Moscow", now=NOW
    )
    world.repeats.pause(7, paused.repeat_id)
    other, _ = world.repeats.create(8, parse(RepeatRequest, REQUEST), timezone="Europe/Moscow", now=NOW)

    assert world.repeats.stop_all(7) == 2
    for rid in (active.repeat_id, paused.repeat_id):
        stopped = world.repeats.get(7, rid)
        assert (stopped.state, stopped.stop_code, stopped.next_at) == (RepeatState.STOPPED, UNINSTALLED, None)
        assert world.scheduler.list(rid) == []
    assert world.repeats.get(8, other.repeat_id).state is RepeatState.ACTIVE  # another account is untouched
    assert [f.id for f in fires_until(world, msk(4, 1))] == [other.repeat_id]
    assert world.repeats.stop_all(7) == 0  # stopped ones stay as they are

    # a calendar change alone does not resume it; `paused: false` does
    changed = world.repeats.change(7, active.repeat_id, RepeatChange(at="11:00"), NOW)
    assert changed.state is RepeatState.STOPPED and world.scheduler.list(active.repeat_id) == []
    resumed = world.repeats.change(7, active.repeat_id, RepeatChange(paused=False), NOW)
    assert (resumed.state, resumed.stop_code) == (RepeatState.ACTIVE, None)
    assert len(world.scheduler.list(active.repeat_id)) == 1


def test_a_repeat_stopped_because_its_source_was_deleted_cannot_be_resumed(world):
    repeat, _ = world.repeats.create(7, parse(RepeatRequest, REQUEST), timezone="Europe/Moscow", now=NOW)
    world.repeats.stop(7, repeat.repeat_id, "repeat-source-deleted")
    assert "repeat-source-deleted" not in RESUMABLE
    kept = world.repeats.change(7, repeat.repeat_id, RepeatChange(paused=False), NOW)
    assert kept.state is RepeatState.STOPPED and world.scheduler.list(repeat.repeat_id) == []


def test_cancel_all_deletes_pending_copies_and_a_cancelled_copy_is_never_planned_again(world):
    due = msk(5, 2)
    assert world.delayed.plan(pending(due), NOW) is True
    assert world.delayed.cancel_all(7) == 1
    assert world.delayed.pending(7) == [] and world.scheduler.list(pending_id(7, "dp-1")) == []
    # the catch-up brings the same DP event again: the job is planned as the same pending copy, which stays cancelled
    assert world.delayed.plan(pending(due), NOW) is True
    assert world.delayed.pending(7) == [] and fires_until(world, due + timedelta(minutes=1)) == []


def test_a_fire_of_a_cancelled_copy_is_gone(world):
    due = msk(5, 2)
    world.delayed.plan(pending(due), NOW)
    [fire] = fires_until(world, due)
    world.delayed.cancel(7, pending_id(7, "dp-1"))
    assert world.delayed.on_fire(fire, {"id": 101, "status_id": 5}, NOW) == Skipped("gone")


def test_a_delayed_copy_amocrm_could_not_read_fires_again_an_hour_later_and_then_decides(world):
    due = msk(5, 2)
    world.delayed.plan(pending(due), NOW)
    [fire] = fires_until(world, due)
    later = world.delayed.postpone(fire, due + timedelta(seconds=20))
    assert later == due + timedelta(hours=1)
    assert [p.due_at for p in world.delayed.pending(7)] == [later]
    assert world.delayed.postpone(fire, due) is None  # a second delivery of the old fire is stale
    [again] = fires_until(world, later)
    source = {"id": 101, "status_id": 5, "custom_fields_values": []}
    assert world.delayed.on_fire(again, source, later) == Cancelled("delayed-field-empty")  # decided now
