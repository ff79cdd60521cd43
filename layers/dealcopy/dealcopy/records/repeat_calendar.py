"""Repeat requests: copy a lead every N days/weeks/months at HH:MM local, from a start date.

`start` is the anchor (the date of the deal being repeated): occurrence n falls n steps after
it, so «monthly from 31 Jan» makes copies on 28/29 Feb (n=1), 31 Mar (n=2), 30 Apr (n=3).
`until` (inclusive, a local date) and `count` (the last occurrence number) end the sequence;
an occurrence missed while paused is skipped, not made up, and still has its number.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from dealcopy.copying.errors import RuleProblem
from dealcopy.copying.rules import problems_of
from dealcopy.records.schedule_errors import ScheduleInvalid
from dealcopy.records.schedule_types import Id, LocalTime, TimeZoneName, problem

FIRST_YEAR, LAST_YEAR = 2000, 2100
PRESET_ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"  # as storage.presets (kept here: the domain reads no storage)
M = TypeVar("M", bound=BaseModel)


class Every(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    unit: Literal["day", "week", "month"]
    n: int = Field(ge=1, le=1000)


class _Calendar(BaseModel):
    """The calendar part of a repeat, shared by the request, the patch and the stored schedule."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    every: Every
    at: LocalTime
    start: date
    until: date | None = None
    count: int | None = Field(None, ge=1, le=10000)

    @field_validator("start")
    @classmethod
    def _plausible_start(cls, value: date) -> date:
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise problem("schedule-start-out-of-range", first=FIRST_YEAR, last=LAST_YEAR)
        return value

    @field_validator("until")
    @classmethod
    def _after_start(cls, value: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("start")
        if value is not None and start is not None and value <= start:
            raise problem("schedule-until-before-start")
        return value


class RepeatSchedule(_Calendar):
    """What the time math needs: the calendar and the zone its local times are in."""

    timezone: TimeZoneName


class RepeatRequest(_Calendar):
    """`POST /repeats`: a lead, a rule or a preset (+ overrides), and the calendar."""

    lead_id: Id
    rule: dict[str, Any] | None = None
    preset_id: str | None = Field(None, pattern=PRESET_ID_PATTERN)
    overrides: dict[str, Any] | None = None
    timezone: TimeZoneName | None = None  # None: the account's zone
    idempotency_key: str = Field(pattern=r"^[A-Za-z0-9_.:-]{1,128}$")

    @model_validator(mode="after")
    def _rule_or_preset(self) -> RepeatRequest:
        if (self.rule is None) == (self.preset_id is None):
            raise problem("repeat-rule-or-preset", "rule")
        if self.overrides is not None and self.preset_id is None:
            raise problem("repeat-overrides-need-preset", "overrides")
        return self

    def schedule(self, default_timezone: str) -> RepeatSchedule:
        calendar = self.model_dump(include=set(_Calendar.model_fields))
        return parse(RepeatSchedule, {**calendar, "timezone": self.timezone or default_timezone})


class RepeatChange(BaseModel):
    """`PATCH /repeats/{id}`: pause/resume and/or any calendar part (absent = unchanged)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    paused: bool | None = None
    every: Every | None = None
    at: LocalTime | None = None
    start: date | None = None
    until: date | None = None
    count: int | None = Field(None, ge=1, le=10000)
    timezone: TimeZoneName | None = None

    @property
    def changes_calendar(self) -> bool:
        return bool(self.model_fields_set - {"paused"})

    def apply(self, schedule: RepeatSchedule) -> RepeatSchedule:
        """The schedule with this change; `until`/`count` sent as null clear them. Re-validated."""
        changed = {k: getattr(self, k) for k in self.model_fields_set - {"paused"}}
        for key in ("every", "at", "start", "timezone"):
            if key in changed and changed[key] is None:
                del changed[key]  # these cannot be cleared
        merged = schedule.model_dump() | {
            k: v.model_dump() if isinstance(v, BaseModel) else v for k, v in changed.items()
        }
        return parse(RepeatSchedule, merged)


def parse(model: type[M], data: Mapping[str, Any] | str | bytes) -> M:
    """`model` from JSON or a mapping; `ScheduleInvalid` with a path per problem otherwise."""
    try:
        if isinstance(data, (str, bytes)):
            return model.model_validate(json.loads(data))
        return model.model_validate(dict(data))
    except ValidationError as err:
        raise ScheduleInvalid(problems_of(err)) from err
    except ValueError as err:
        raise ScheduleInvalid([RuleProblem("", "schedule-not-json")]) from err
