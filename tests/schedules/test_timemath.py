"""Due times and occurrences: the issue's examples, DST edges, and properties (fixed seed)."""

from __future__ import annotations

import calendar
import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from dealcopy.records.copy_delay import AfterEvent, Delay, FieldOffset
from dealcopy.records.repeat_calendar import RepeatSchedule
from dealcopy.schedules.timemath import (
    add_months,
    check_schedule,
    due_after_event,
    due_from_field,
    due_time,
    field_date,
    name_values,
    next_occurrence,
    occurrence_at,
    occurrence_number,
    occurrences,
)

MSK = "Europe/Moscow"


def schedule(unit="month", n=1, at="10:00", start="2026-01-31", tz=MSK, **extra) -> RepeatSchedule:
    return RepeatSchedule(every={"unit": unit, "n": n}, at=at, start=start, timezone=tz, **extra)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_monthly_from_31_january_clamps_to_month_ends():
    found = list(occurrences(schedule(count=3)))
    assert [(o.n, o.at) for o in found] == [
        (1, utc(2026, 2, 28, 7)),
        (2, utc(2026, 3, 31, 7)),
        (3, utc(2026, 4, 30, 7)),
    ]
    assert next(name_values(schedule(), o) for o in found) == {"n": 1, "date": "28.02.2026"}


def test_leap_february_and_until():
    found = list(occurrences(schedule(start="2028-01-31", until=date(2028, 6, 29))))
    assert [o.at.astimezone(ZoneInfo(MSK)).date().isoformat() for o in found] == [
        "2028-02-29",
        "2028-03-31",
        "2028-04-30",
        "2028-05-31",
    ]


def test_occurrence_numbers_and_next():
    s = schedule(count=3)
    assert occurrence_number(s, utc(2026, 3, 31, 7, 0, 42)) == 2  # seconds do not matter
    assert occurrence_number(s, utc(2026, 3, 31, 8)) is None
    assert occurrence_number(s, utc(2026, 5, 31, 7)) is None  # past count
    assert next_occurrence(s, utc(2026, 2, 28, 7)).n == 2
    assert next_occurrence(s, utc(2026, 1, 1)).n == 1
    assert next_occurrence(s, utc(2026, 4, 30, 7)) is None


def test_days_and_weeks():
    assert occurrence_at(schedule("day", 3, start="2026-03-01", tz="UTC"), 2) == utc(2026, 3, 7, 10)
    assert occurrence_at(schedule("week", 2, start="2026-03-02", tz="UTC"), 1) == utc(2026, 3, 16, 10)


def test_dst_gap_moves_forward_and_overlap_takes_the_first():
    berlin = schedule("day", 1, at="02:30", start="2026-03-27", tz="Europe/Berlin")
    gap = occurrence_at(berlin, 2)  # 29 March 2026: 02:00 -> 03:00
    assert gap.astimezone(ZoneInfo("Europe/Berlin")).strftime("%H:%M") == "03:30"
    overlap = occurrence_at(schedule("day", 1, at="02:30", start="2026-10-24", tz="Europe/Berlin"), 1)
    assert overlap == utc(2026, 10, 25, 0, 30)  # the first 02:30 (CEST)


def test_a_schedule_that_never_fires_is_refused():
    assert [p.path for p in check_schedule(schedule(until=date(2026, 2, 27)))] == ["until"]
    assert check_schedule(schedule(until=date(2026, 2, 28))) == []


def test_due_after_event_keeps_the_wall_time_across_dst():
    event = int(datetime(2026, 3, 28, 10, tzinfo=ZoneInfo("Europe/Berlin")).timestamp())
    due = due_after_event(event, AfterEvent(days=1, hours=2), "Europe/Berlin")
    assert due.astimezone(ZoneInfo("Europe/Berlin")).strftime("%d %H:%M") == "29 12:00"


def test_due_from_field_accepts_unix_and_rfc3339_and_counts_back():
    offset = FieldOffset(field_id=7, offset_days=-30, at="10:00")
    subscription_end = int(datetime(2026, 6, 1, tzinfo=ZoneInfo(MSK)).timestamp())
    expected = utc(2026, 5, 2, 7)
    assert due_from_field(subscription_end, offset, MSK) == expected
    assert due_from_field(str(subscription_end), offset, MSK) == expected
    assert due_from_field("2026-06-01T00:00:00+03:00", offset, MSK) == expected
    assert due_from_field("2026-06-01", offset, MSK) == expected
    assert due_from_field(None, offset, MSK) is None
    assert field_date("not a date", ZoneInfo(MSK)) is None


def test_due_time_reads_the_lead():
    delay = Delay.model_validate({"field": {"field_id": 7, "offset_days": 1, "at": "09:15"}})
    lead = {"custom_fields_values": [{"field_id": 7, "values": [{"value": "2026-06-01T12:00:00Z"}]}]}
    assert due_time(delay, event_time=0, lead=lead, timezone="UTC") == utc(2026, 6, 2, 9, 15)
    assert due_time(delay, event_time=0, lead={"custom_fields_values": None}, timezone="UTC") is None


# --- properties -----------------------------------------------------------------------------------

ZONES = ["UTC", MSK, "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu"]
schedules = st.builds(
    lambda unit, n, hh, mm, start, tz, count, until_days: RepeatSchedule(
        every={"unit": unit, "n": n},
        at=f"{hh:02d}:{mm:02d}",
        start=start,
        timezone=tz,
        count=count,
        until=start + timedelta(days=until_days) if until_days else None,
    ),
    st.sampled_from(["day", "week", "month"]),
    st.integers(1, 14),
    st.integers(0, 23),
    st.sampled_from([0, 15, 30, 59]),
    st.dates(date(2020, 1, 1), date(2035, 12, 31)),
    st.sampled_from(ZONES),
    st.one_of(st.none(), st.integers(1, 40)),
    st.one_of(st.none(), st.integers(1, 3000)),
)


def _take(s: RepeatSchedule, limit: int = 60):
    found = []
    for occurrence in occurrences(s):
        found.append(occurrence)
        if len(found) >= limit:
            break
    return found


@settings(max_examples=300)
@given(schedules)
def test_occurrences_increase_and_respect_count_and_until(s):
    found = _take(s)
    tz = ZoneInfo(s.timezone)
    assert all(a.at < b.at for a, b in itertools.pairwise(found))
    assert [o.n for o in found] == list(range(1, len(found) + 1))
    if s.count is not None:
        assert len(found) <= s.count
    for o in found:
        local = o.at.astimezone(tz)
        assert local.date() > s.start
        assert s.until is None or local.date() <= s.until
        assert occurrence_number(s, o.at) == o.n
        # the wall time is `at`, unless a DST gap swallowed it (then it moved forward by < 2 h)
        wanted = datetime.combine(local.date(), datetime.strptime(s.at, "%H:%M").time())
        assert timedelta(0) <= local.replace(tzinfo=None) - wanted < timedelta(hours=2)


@settings(max_examples=200)
@given(schedules, st.integers(0, 400 * 86400))
def test_next_occurrence_is_the_first_after_a_moment(s, seconds):
    moment = datetime.combine(s.start, datetime.min.time(), tzinfo=UTC) + timedelta(seconds=seconds)
    found = next_occurrence(s, moment)
    earlier = [o for o in _take(s, 400) if o.at > moment]
    if found is None:
        assert not earlier
    elif earlier:
        assert found == earlier[0]


@settings(max_examples=200)
@given(st.dates(date(2000, 1, 1), date(2090, 12, 31)), st.integers(0, 120))
def test_month_steps_clamp_relative_to_the_start_day(start, months):
    moved = add_months(start, months)
    last = calendar.monthrange(moved.year, moved.month)[1]
    assert moved.day == min(start.day, last)
    assert (moved.year - start.year) * 12 + moved.month - start.month == months
