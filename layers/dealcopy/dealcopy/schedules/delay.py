"""The `delay` part of a copy rule: copy later, after the DP event or relative to a date field.

`{"after_event": {"days", "hours"}}` or `{"field": {"field_id", "offset_days", "at"}}`, plus
`cancel_if_closed` (default true: a source closed as won/lost by the due time is not copied).
`check_delay` checks the field against the account (it must exist and hold a date).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from dealcopy.copying.errors import RuleProblem
from dealcopy.copying.metadata import AccountMetadata
from dealcopy.schedules.types import Id, LocalTime, problem

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
            raise problem("задержка должна быть больше нуля", "the delay must be longer than zero")
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
            raise problem(
                "укажите одно: after_event или field",
                "give exactly one of after_event or field",
            )
        return self


def check_delay(delay: Delay, metadata: AccountMetadata, path: str = "delay") -> list[RuleProblem]:
    """Problems of a delay against the account: the date field must exist and be a date."""
    if delay.field is None:
        return []
    fid, where = delay.field.field_id, f"{path}.field.field_id"
    info = metadata.fields.get(fid)
    if info is None:
        return [RuleProblem(where, f"поле #{fid} не найдено", f"field #{fid} not found")]
    if info.type not in DATE_FIELD_TYPES:
        return [
            RuleProblem(
                where,
                f"поле «{info.name}» должно быть датой (date, date_time, birthday), а не {info.type}",
                f"field '{info.name}' must hold a date (date, date_time, birthday), not {info.type}",
            )
        ]
    return []
