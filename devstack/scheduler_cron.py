"""EventBridge cron expressions (`cron(min hour day-of-month month day-of-week year)`), locally.

Enough of the syntax for the local firer: `*`, `?`, numbers, names (JAN, MON), lists, ranges,
`/` steps and `L` (last day of the month) in day-of-month. `W` and `#` are refused rather than
guessed. Day-of-week numbers are AWS's: 1 = SUN ... 7 = SAT.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta, tzinfo

_MONTHS = {name.upper(): i for i, name in enumerate(calendar.month_abbr) if name}
_DAYS = {"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}
_BOUNDS = ((0, 59, {}), (0, 23, {}), (1, 31, {}), (1, 12, _MONTHS), (1, 7, _DAYS), (1970, 2199, {}))


def _values(spec: str, low: int, high: int, names: dict[str, int]) -> set[int] | None:
    """The values a field allows; None for `*`/`?` (any)."""
    if spec in ("*", "?"):
        return None
    if re.search(r"[W#]", spec):
        raise ValueError(f"unsupported cron field {spec!r}")
    found: set[int] = set()
    for part in spec.split(","):
        body, _, step = part.partition("/")
        number = lambda text: names.get(text.upper()) or int(text)  # noqa: E731
        if body == "*":
            first, last = low, high
        elif "-" in body:
            first, last = (number(x) for x in body.split("-", 1))
        else:
            first = number(body)
            last = high if step else first
        found.update(range(first, last + 1, int(step or 1)))
    return found


class Cron:
    def __init__(self, expression: str) -> None:
        found = re.fullmatch(r"\s*cron\((.+)\)\s*", expression)
        fields = found.group(1).split() if found else []
        if len(fields) != 6:
            raise ValueError(f"not a 6-field cron expression: {expression!r}")
        self.last_day = fields[2].upper() == "L"
        dom_spec = "*" if self.last_day else fields[2]
        specs = [fields[0], fields[1], dom_spec, *fields[3:]]
        minutes, hours, self.days, self.months, self.weekdays, self.years = (
            _values(spec, low, high, names) for spec, (low, high, names) in zip(specs, _BOUNDS, strict=True)
        )
        self.times = sorted(
            time(h, m) for h in (hours if hours is not None else range(24)) for m in (minutes or range(60))
        )

    def matches_day(self, day: datetime) -> bool:
        if self.months is not None and day.month not in self.months:
            return False
        if self.years is not None and day.year not in self.years:
            return False
        if self.last_day and day.day != calendar.monthrange(day.year, day.month)[1]:
            return False
        if self.days is not None and day.day not in self.days:
            return False
        return self.weekdays is None or day.isoweekday() % 7 + 1 in self.weekdays


def cron_times(expression: str, tz: tzinfo, after: datetime | None, until: datetime) -> Iterator[datetime]:
    """Occurrences (UTC) in (`after`, `until`], local wall times in `tz`."""
    cron = Cron(expression)
    after = after or until - timedelta(minutes=1)
    day = after.astimezone(tz).replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)
    last_day = until.astimezone(tz).replace(tzinfo=None)
    while day <= last_day:
        if cron.matches_day(day):
            for at in cron.times:
                moment = datetime.combine(day.date(), at, tzinfo=tz).astimezone(UTC)
                if after < moment <= until:
                    yield moment
        day += timedelta(days=1)
