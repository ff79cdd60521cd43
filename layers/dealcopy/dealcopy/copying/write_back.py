"""Write-back («Обновить исходную сделку»): a DP action on a copy's pipeline that updates the copy's origin.

When a copy enters the action's stage, its origin (the lead it was copied from, by the recorded
lineage) gets fields set or cleared and/or is moved to a stage, in one `PATCH /api/v4/leads/{id}`.
The action's settings are signed like a copy rule (`{"write_back": {...}}`, the same canonical JSON)
and its hook runs through the same job machinery (signature, replay window, de-duplication, loop
guard); only the step that acts differs (`jobs.steps.write_back`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from dealcopy.copying.errors import RuleInvalid, RuleProblem
from dealcopy.copying.field_rules import FieldRule, check_field_rules, first_duplicate
from dealcopy.copying.metadata import AccountMetadata
from dealcopy.copying.naming import DEFAULT_TIMEZONE
from dealcopy.copying.rules import problems_of


class Stage(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    pipeline_id: int
    status_id: int


class WriteBack(BaseModel):
    """What the origin gets: fields set or cleared, and/or a stage."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    field_rules: list[FieldRule] = Field(default_factory=list)
    status: Stage | None = None
    timezone: str = DEFAULT_TIMEZONE  # for `YYYY-MM-DD` dates

    @model_validator(mode="after")
    def _something_and_only_fixed_values(self) -> WriteBack:
        if not self.field_rules and self.status is None:
            raise PydanticCustomError("copy_rule", "{code}", {"code": "write-back-empty"})
        for i, rule in enumerate(self.field_rules):
            if rule.action not in ("set", "clear"):
                ctx = {"code": "write-back-set-or-clear", "loc": f"write_back.field_rules[{i}]"}
                raise PydanticCustomError("copy_rule", "{code}", ctx)
        twice = first_duplicate(self.field_rules)
        if twice is not None:
            ctx = {"code": "field-rule-duplicate", "loc": f"write_back.field_rules[{twice}].field_id"}
            raise PydanticCustomError("copy_rule", "{code}", ctx)
        return self

    def check(self, metadata: AccountMetadata) -> list[RuleProblem]:
        problems = [
            RuleProblem(f"write_back.{p.path}", p.code, stale=p.stale, **p.data)
            for p in check_field_rules(self.field_rules, metadata, self.timezone)
        ]
        if self.status is not None:
            pipeline = metadata.pipelines.get(self.status.pipeline_id)
            if pipeline is None:
                problems.append(
                    RuleProblem(
                        "write_back.status.pipeline_id",
                        "rule-pipeline-not-found",
                        pipeline_id=self.status.pipeline_id,
                    )
                )
            elif self.status.status_id not in pipeline.statuses:
                problems.append(
                    RuleProblem(
                        "write_back.status.status_id",
                        "rule-stage-not-in-pipeline",
                        status_id=self.status.status_id,
                        pipeline=pipeline.name,
                    )
                )
        return problems

    def patch(self, origin_id: int, metadata: AccountMetadata) -> dict[str, Any]:
        """The `PATCH /api/v4/leads/{origin_id}` body; a cleared field is written as `values: null`."""
        body: dict[str, Any] = {}
        values = []
        for rule in self.field_rules:
            field = metadata.fields.get(rule.field_id)
            if field is None:
                continue  # deleted since the action was signed: nothing to write
            values.append(
                {"field_id": field.id, "values": None if rule.clear else rule.set_values(field, self.timezone)}
            )
        if values:
            body["custom_fields_values"] = values
        if self.status is not None:
            body |= {"pipeline_id": self.status.pipeline_id, "status_id": self.status.status_id}
        return body


class WriteBackRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    write_back: WriteBack


def parse_write_back(data: Mapping[str, Any] | str | bytes) -> WriteBackRule:
    """A `WriteBackRule` from JSON or a mapping; `RuleInvalid` with paths on any problem."""
    try:
        raw = json.loads(data) if isinstance(data, (str, bytes)) else dict(data)
        return WriteBackRule.model_validate(raw)
    except ValidationError as err:
        raise RuleInvalid(problems_of(err)) from err
    except (ValueError, RecursionError) as err:
        raise RuleInvalid([RuleProblem("", "rule-not-json")]) from err


def validate_write_back(rule: WriteBackRule, metadata: AccountMetadata) -> None:
    problems = rule.write_back.check(metadata)
    if problems:
        raise RuleInvalid(problems)


def canonical_write_back(rule: WriteBackRule) -> str:
    """Sorted keys, no spaces, ASCII: what the signature covers, as for copy rules."""
    return json.dumps(rule.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=True)
