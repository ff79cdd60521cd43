"""Time math of schedules (pure): due times of delayed copies and occurrences of repeats.

Local times live in the account's IANA zone. A wall time a DST jump skips is moved forward by
the gap (02:30 -> 03:30); a wall time that happens twice takes its first instance. Results are
aware UTC datetimes to the minute, the unit EventBridge Scheduler fires at.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any, NamedTuple

from dealcopy.copying.errors import RuleProblem
from dealcopy.copying.naming import zone
from dealcopy.records.copy_delay import AfterEvent, Delay, FieldOffset
from dealcopy.records.repeat_calendar import RepeatSchedule
from dealcopy.records.schedule_types import clock_time

_LAST_YEAR = 9998  # beyond it `date` overflows: a sequence simply ends there


class Occurrence(NamedTuple):
    n: int  # 1-based position in the repeat's sequence
    at: datetime  # UTC


def local_instant(day: date, at: time, tz: tzinfo) -> datetime:
    """The UTC instant of wall time `at` on `day` in `tz` (fold=0: see the module's DST rule)."""
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def minute(moment: datetime) -> datetime:
    """`moment` in UTC, cut to the minute (scheduled times come with seconds = 0)."""
    return moment.astimezone(UTC).replace(second=0, microsecond=0)


def add_months(start: date, months: int) -> date | None:
    """`start` moved by whole months, its day clamped to the month's end (31 Jan + 1 = 28/29 Feb)."""
    years, month0 = divmod(start.month - 1 + months, 12)
    year = start.year + years
    if not 1 <= year <= _LAST_YEAR:
        return None
    return date(year, month0 + 1, min(start.day, calendar.monthrange(year, month0 + 1)[1]))


def _step_date(schedule: RepeatSchedule, n: int) -> date | None:
    steps = n * schedule.every.n
    if schedule.every.unit == "month":
        return add_months(schedule.start, steps)  # always from the start day: no drift after a short month
    days = steps * (7 if schedule.every.unit == "week" else 1)
    if days > (date(_LAST_YEAR, 12, 31) - schedule.start).days:
        return None
    return schedule.start + timedelta(days=days)


def occurrence_at(schedule: RepeatSchedule, n: int) -> datetime | None:
    """When occurrence `n` fires (UTC), or None if the sequence has no such occurrence."""
    if n < 1 or (schedule.count is not None and n > schedule.count):
        return None
    day = _step_date(schedule, n)
    if day is None or (schedule.until is not None and day > schedule.until):
        return None
    return local_instant(day, clock_time(schedule.at), zone(schedule.timezone))


def _lower_bound(schedule: RepeatSchedule, moment: datetime) -> int:
    """An n no later than the first occurrence on or after `moment`'s local date."""
    local = moment.astimezone(zone(schedule.timezone)).date()
    if schedule.every.unit == "month":
        elapsed = (local.year - schedule.start.year) * 12 + local.month - schedule.start.month
    else:
        elapsed = (local - schedule.start).days // (7 if schedule.every.unit == "week" else 1)
    return max(1, elapsed // schedule.every.n - 1)


def next_occurrence(schedule: RepeatSchedule, after: datetime) -> Occurrence | None:
    """The first occurrence strictly after `after`, or None when the sequence has ended."""
    n = _lower_bound(schedule, after)
    while (at := occurrence_at(schedule, n)) is not None:
        if at > after:
            return Occurrence(n, at)
        n += 1
    return None


def occurrences(schedule: RepeatSchedule, after: datetime | None = None) -> Iterator[Occurrence]:
    """Occurrences in order (all, or those after `after`); finite when `until` or `count` is set."""
    found = next_occurrence(schedule, after) if after else _first(schedule)
    while found is not None:
        yield found
        at = occurrence_at(schedule, found.n + 1)
        found = Occurrence(found.n + 1, at) if at else None


def _first(schedule: RepeatSchedule) -> Occurrence | None:
    at = occurrence_at(schedule, 1)
    return Occurrence(1, at) if at else None


def occurrence_number(schedule: RepeatSchedule, scheduled: datetime) -> int | None:
    """Which occurrence fires at `scheduled` (to the minute), or None if none does."""
    wanted = minute(scheduled)
    n = _lower_bound(schedule, wanted)
    while (at := occurrence_at(schedule, n)) is not None and at <= wanted:
        if at == wanted:
            return n
        n += 1
    return None


def check_schedule(schedule: RepeatSchedule) -> list[RuleProblem]:
    """A schedule that can never fire is refused where it is set up."""
    if _first(schedule) is None:
        return [RuleProblem("until", "repeat-none-before-until")]
    return []


def name_values(schedule: RepeatSchedule, occurrence: Occurrence) -> dict[str, Any]:
    """Values of the name template's `{n}` and `{date}` (dd.mm.yyyy, local) for one occurrence."""
    local = occurrence.at.astimezone(zone(schedule.timezone))
    return {"n": occurrence.n, "date": local.strftime("%d.%m.%Y")}


# --- delayed copies -----------------------------------------------------------------------------


def due_after_event(event_time: int, after: AfterEvent, timezone: str) -> datetime:
    """`days` as calendar days in the zone (same wall time across DST), then `hours` as elapsed time."""
    local = datetime.fromtimestamp(event_time, zone(timezone))
    shifted = datetime.combine(local.date() + timedelta(days=after.days), local.timetz())
    return minute(shifted.astimezone(UTC) + timedelta(hours=after.hours))


def field_date(value: Any, tz: tzinfo) -> date | None:
    """The local date a date field holds: a Unix int (C) or an RFC 3339 string (C, as the SDK writes)."""
    if isinstance(value, bool) or value is None or value == "":
        return None
    if isinstance(value, (int, float)) or (isinstance(value, str) and value.lstrip("-").isdigit()):
        return datetime.fromtimestamp(int(value), tz).date()
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.astimezone(tz).date() if parsed.tzinfo else parsed.date()


def field_value(lead: Mapping[str, Any], field_id: int) -> Any:
    """The first value of custom field `field_id` in a lead as amoCRM returns it (None if unset)."""
    for entry in lead.get("custom_fields_values") or []:
        if int(entry.get("field_id") or 0) == field_id:
            values = entry.get("values") or []
            return values[0].get("value") if values and isinstance(values[0], Mapping) else None
    return None


def due_from_field(value: Any, offset: FieldOffset, timezone: str) -> datetime | None:
    """`offset_days` from the field's date at `at` local time; None while the field is empty."""
    tz = zone(timezone)
    day = field_date(value, tz)
    if day is None:
        return None
    return local_instant(day + timedelta(days=offset.offset_days), clock_time(offset.at), tz)


def due_time(delay: Delay, *, event_time: int, lead: Mapping[str, Any], timezone: str) -> datetime | None:
    """When a delayed copy is due (UTC), from the hook's event or the source's date field."""
    if delay.after_event is not None:
        return due_after_event(event_time, delay.after_event, timezone)
    assert delay.field is not None
    return due_from_field(field_value(lead, delay.field.field_id), delay.field, timezone)
