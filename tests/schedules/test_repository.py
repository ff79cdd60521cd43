"""Repeats, pending copies and occurrence claims in the jobs table (moto)."""

from __future__ import annotations

from datetime import UTC, datetime

from dealcopy.records.repeat_calendar import RepeatSchedule
from dealcopy.records.schedule import Repeat, RepeatState
from dealcopy.records.schedule_ids import occurrence_job_id, repeat_id
from dealcopy.storage.schedules import ScheduleRepository
from tests.schedules.conftest import make_pending

SCHEDULE = RepeatSchedule(every={"unit": "month", "n": 1}, at="10:00", start="2026-01-31", timezone="Europe/Moscow")
AT = datetime(2026, 2, 28, 7, tzinfo=UTC)


def repo(aws) -> ScheduleRepository:
    return ScheduleRepository(aws.table("JobsTable"))


def repeat(account=7, key="k1", lead=100) -> Repeat:
    return Repeat(account_id=account, repeat_id=repeat_id(account, key), lead_id=lead, rule="{}", schedule=SCHEDULE)


def test_create_is_idempotent_and_lists_by_lead(aws):
    store = repo(aws)
    _first, created = store.create_repeat(repeat())
    assert created
    again, created = store.create_repeat(repeat().model_copy(update={"lead_id": 999}))
    assert not created and again.lead_id == 100
    store.create_repeat(repeat(key="k2", lead=200))
    store.create_repeat(repeat(account=8, key="k1"))
    assert [r.lead_id for r in store.list_repeats(7)] == [100, 200]
    assert [r.repeat_id for r in store.list_repeats(7, lead_id=200)] == [repeat_id(7, "k2")]


def test_save_get_and_delete(aws):
    store = repo(aws)
    r, _ = store.create_repeat(repeat())
    r.state, r.fired, r.next_at = RepeatState.PAUSED, 2, AT
    store.save_repeat(r)
    got = store.get_repeat(7, r.repeat_id)
    assert (got.state, got.fired, got.next_at, got.schedule) == (RepeatState.PAUSED, 2, AT, SCHEDULE)
    assert store.delete_repeat(7, r.repeat_id) is True
    assert store.delete_repeat(7, r.repeat_id) is False
    assert store.get_repeat(7, r.repeat_id) is None


def test_an_occurrence_is_claimed_once(aws):
    store = repo(aws)
    owner = repeat_id(7, "k1")
    job = occurrence_job_id(owner, AT)
    assert store.claim_occurrence(7, owner, AT, job) is True
    assert store.claim_occurrence(7, owner, AT.replace(second=30), job) is False  # same minute: same occurrence
    assert store.claim_occurrence(7, owner, AT.replace(month=3, day=31), job) is True
    assert store.claim_occurrence(8, owner, AT, job) is True


def test_pending_copies(aws):
    store = repo(aws)
    pending = make_pending(AT)
    store.put_pending(pending)
    store.put_pending(pending.model_copy(update={"pending_id": "d2", "lead_id": 102, "due_at": AT.replace(day=1)}))
    assert store.get_pending(7, pending.pending_id) == pending
    assert [p.pending_id for p in store.list_pending(7)] == ["d2", pending.pending_id]  # by due time
    assert [p.lead_id for p in store.list_pending(7, lead_id=101)] == [101]
    assert store.delete_pending(7, "d2") is True and store.delete_pending(7, "d2") is False
