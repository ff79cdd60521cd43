"""Validation of delays, repeat requests and changes: every fault answered with its path."""

from __future__ import annotations

from datetime import date

import pytest

from dealcopy.copying.metadata import AccountMetadata, FieldInfo
from dealcopy.records.copy_delay import Delay, check_delay
from dealcopy.records.repeat_calendar import RepeatChange, RepeatRequest, RepeatSchedule, parse
from dealcopy.records.schedule_errors import ScheduleInvalid
from dealcopy.records.schedule_types import MAX_ID

GOOD = {
    "lead_id": 101,
    "rule": {"pipeline_id": 1, "status_id": 2},
    "every": {"unit": "month", "n": 1},
    "at": "10:00",
    "start": "2026-01-31",
    "count": 3,
    "idempotency_key": "key-1",
}


def paths(data, model=RepeatRequest) -> list[str]:
    with pytest.raises(ScheduleInvalid) as caught:
        parse(model, data)
    assert caught.value.code == "schedule-invalid"
    return [p.path for p in caught.value.problems]


def test_a_good_request_parses_and_takes_the_account_zone():
    request = parse(RepeatRequest, GOOD)
    schedule = request.schedule("Europe/Moscow")
    assert schedule.timezone == "Europe/Moscow" and schedule.start == date(2026, 1, 31)
    assert parse(RepeatRequest, {**GOOD, "timezone": "Asia/Tokyo"}).schedule("Europe/Moscow").timezone == "Asia/Tokyo"


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"every": {"unit": "day", "n": 0}}, "every.n"),
        ({"every": {"unit": "day", "n": -3}}, "every.n"),
        ({"every": {"unit": "year", "n": 1}}, "every.unit"),
        ({"at": "24:00"}, "at"),
        ({"at": "9:5"}, "at"),
        ({"start": "2026-02-30"}, "start"),
        ({"start": "1999-12-31"}, "start"),
        ({"until": "2026-01-30"}, "until"),
        ({"until": "2026-01-31"}, "until"),
        ({"count": 0}, "count"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"lead_id": MAX_ID + 1}, "lead_id"),
        ({"lead_id": 0}, "lead_id"),
        ({"preset_id": "p1"}, "rule"),
        ({"rule": None}, "rule"),
        ({"overrides": {"copy_tags": False}}, "overrides"),
        ({"idempotency_key": ""}, "idempotency_key"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_bad_requests_name_the_path(change, path):
    assert path in paths({**GOOD, **change})


def test_several_faults_are_reported_together():
    found = paths({**GOOD, "every": {"unit": "week", "n": 0}, "at": "25:61", "timezone": "Nowhere/City"})
    assert {"every.n", "at", "timezone"} <= set(found)


def test_not_json_is_an_invalid_schedule():
    assert paths("{nope") == [""]


def test_a_preset_with_overrides_is_accepted():
    request = parse(RepeatRequest, {**GOOD, "rule": None, "preset_id": "renewal", "overrides": {"copy_tags": False}})
    assert request.preset_id == "renewal" and request.overrides == {"copy_tags": False}


def test_a_change_keeps_what_it_does_not_name_and_can_clear_count():
    schedule = parse(RepeatSchedule, {**{k: GOOD[k] for k in ("every", "at", "start", "count")}, "timezone": "UTC"})
    changed = parse(RepeatChange, {"at": "11:30", "count": None}).apply(schedule)
    assert (changed.at, changed.count, changed.every.unit) == ("11:30", None, "month")
    assert not parse(RepeatChange, {"paused": True}).changes_calendar
    with pytest.raises(ScheduleInvalid) as caught:
        parse(RepeatChange, {"until": "2025-01-01"}).apply(schedule)
    assert [p.path for p in caught.value.problems] == ["until"]


@pytest.mark.parametrize(
    ("delay", "path"),
    [
        ({}, "delay"),
        ({"after_event": {"days": 1}, "field": {"field_id": 5, "at": "10:00"}}, "delay"),
        ({"after_event": {"days": 0, "hours": 0}}, "delay.after_event"),
        ({"after_event": {"days": -1}}, "delay.after_event.days"),
        ({"field": {"field_id": 5, "offset_days": -30, "at": "7am"}}, "delay.field.at"),
        ({"field": {"field_id": 2**60, "at": "10:00"}}, "delay.field.field_id"),
        ({"field": {"field_id": 5, "offset_days": 99999, "at": "10:00"}}, "delay.field.offset_days"),
    ],
)
def test_bad_delays_name_the_path(delay, path):
    from pydantic import BaseModel

    class Holder(BaseModel):  # a rule carrying `delay`, as CopyRule will
        delay: Delay

    assert path in paths({"delay": delay}, Holder)


def test_delay_field_must_exist_and_hold_a_date():
    metadata = AccountMetadata(
        pipelines={},
        users={},
        fields={7: FieldInfo(7, "Окончание подписки", "date"), 8: FieldInfo(8, "ИНН", "text")},
        catalogs={},
    )
    delay = lambda fid: Delay.model_validate({"field": {"field_id": fid, "offset_days": -30, "at": "10:00"}})  # noqa: E731
    assert check_delay(delay(7), metadata) == []
    assert [p.path for p in check_delay(delay(8), metadata)] == ["delay.field.field_id"]
    assert "not found" in check_delay(delay(9), metadata)[0].message_en
    assert Delay.model_validate({"after_event": {"hours": 2}}).cancel_if_closed is True
