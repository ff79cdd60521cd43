"""The `delay` part of a copy rule: copy later, after the DP event or relative to a date field.

`{"after_event": {"days", "hours"}}` or `{"field": {"field_id", "offset_days", "at"}}`, plus
`cancel_if_closed` (default true: a source closed as won/lost by the due time is not copied).
`check_delay` checks the field against the account (it must exist and hold a date).
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from dealcopy.copying.errors import RuleInvalid, RuleProblem
from dealcopy.copying.metadata import AccountMetadata
from dealcopy.copying.rules import CopyRule, problems_of
from dealcopy.records.schedule_types import Id, LocalTime, problem

DATE_FIELD_TYPES = frozenset({"date", "date_time", "birthday"})
MAX_DAYS = 3650


class AfterEvent(BaseModel):
    """That long after the hook's event: calendar days in the account's zone, then hours."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    days: int = Field(0, ge=0, le=MAX_DAYS)
    hours: int = Field(0, ge=0, le=24 * MAX_DAYS)

    @model_validator(mode="after")
    def _positive(self) -> AfterEvent:
        if self.days == 0 and self.hours == 0:
            raise problem("delay-not-positive")
        return self


class FieldOffset(BaseModel):
    """`offset_days` from the date in field `field_id` (negative = before), at `at` local time."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    field_id: Id
    offset_days: int = Field(0, ge=-MAX_DAYS, le=MAX_DAYS)
    at: LocalTime


class Delay(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    after_event: AfterEvent | None = None
    field: FieldOffset | None = None
    cancel_if_closed: bool = True

    @model_validator(mode="after")
    def _exactly_one(self) -> Delay:
        if (self.after_event is None) == (self.field is None):
            raise problem("delay-one-kind")
        return self


def check_delay(delay: Delay, metadata: AccountMetadata, path: str = "delay") -> list[RuleProblem]:
    """Problems of a delay against the account: the date field must exist and be a date."""
    if delay.field is None:
        return []
    fid, where = delay.field.field_id, f"{path}.field.field_id"
    info = metadata.fields.get(fid)
    if info is None:
        return [RuleProblem(where, "delay-field-not-found", field_id=fid)]
    if info.type not in DATE_FIELD_TYPES:
        return [RuleProblem(where, "delay-field-not-date", name=info.name, type=info.type)]
    return []


def rule_delay(rule: CopyRule) -> Delay | None:
    """The rule's `delay` as a model (the copy rule carries it opaque); `RuleInvalid` with `delay.` paths."""
    if rule.delay is None:
        return None
    try:
        return Delay.model_validate(rule.delay)
    except ValidationError as err:
        raise RuleInvalid([_under("delay", p) for p in problems_of(err)]) from err


def check_rule_delay(rule: CopyRule, metadata: AccountMetadata) -> None:
    """A rule being saved: its delay must parse and its date field exist (`RuleInvalid` otherwise)."""
    delay = rule_delay(rule)
    problems = check_delay(delay, metadata) if delay is not None else []
    if problems:
        raise RuleInvalid(problems)


def _under(prefix: str, problem: RuleProblem) -> RuleProblem:
    problem.path = f"{prefix}.{problem.path}" if problem.path else prefix
    return problem


def delay_of(rule_json: str) -> Delay | None:
    """The delay of a canonical rule string (None without one or when it does not parse)."""
    try:
        raw: Any = json.loads(rule_json).get("delay")
        return Delay.model_validate(raw) if raw else None
    except (ValueError, AttributeError, ValidationError):
        return None
