"""Constrained values shared by the schedule models: bounded ids, `HH:MM`, IANA time zones.

Errors carry a message code and its data in their context, the shape `copying.rules.problems_of`
turns into path-located problems, so a bad schedule answers like a bad rule.
"""

from __future__ import annotations

import re
from datetime import time
from typing import Annotated

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from dealcopy.copying.naming import zone

MAX_ID = 2**53  # amoCRM ids are JSON numbers: nothing above what a double holds exactly
_HHMM = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")

Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def problem(code: str, loc: str | None = None, **data: object) -> PydanticCustomError:
    """A validation error keyed by a message `code`; `loc` replaces the path pydantic would report."""
    ctx = {**data, "code": code} | ({"loc": loc} if loc else {})
    return PydanticCustomError("schedule", "{code}", ctx)


def _hhmm(value: str) -> str:
    if not _HHMM.fullmatch(value):
        raise problem("schedule-bad-time", value=value)
    return value


def _known_zone(value: str) -> str:
    try:
        zone(value)
    except Exception as err:
        raise problem("unknown-time-zone", zone=value) from err
    return value


LocalTime = Annotated[str, AfterValidator(_hhmm)]
TimeZoneName = Annotated[str, AfterValidator(_known_zone)]


def clock_time(hhmm: str) -> time:
    """'10:30' -> time(10, 30) (the value was validated as `LocalTime`)."""
    hours, minutes = hhmm.split(":")
    return time(int(hours), int(minutes))
