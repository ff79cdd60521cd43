"""A manual copy requested from the lead card: the request, and the rule it resolves to."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PositiveInt, model_validator

from dealcopy.copying.errors import RuleInvalid, RuleProblem
from dealcopy.copying.rules import CopyRule, parse_rule
from dealcopy.storage.presets import Preset

PRESET_ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"


class CopyRequest(BaseModel):
    """`rule`, or `preset_id` plus optional `overrides`; the key makes a retry return the same copy."""

    model_config = ConfigDict(extra="forbid")

    lead_id: PositiveInt
    rule: dict[str, Any] | None = None
    preset_id: str | None = Field(default=None, pattern=PRESET_ID_PATTERN)
    overrides: dict[str, Any] = Field(default_factory=dict)
    idempotency_key: str = Field(min_length=8, max_length=128, pattern=r"^[A-Za-z0-9_.:-]+$")

    @model_validator(mode="after")
    def _one_rule_source(self) -> CopyRequest:
        if (self.rule is None) == (self.preset_id is None):
            raise ValueError("give exactly one of `rule` or `preset_id`")
        return self


def resolve_rule(request: CopyRequest, preset: Preset | None) -> CopyRule:
    """The rule to run: the request's own, or the preset's with the overrides applied on top."""
    if request.rule is not None:
        return parse_rule({**request.rule, **request.overrides})
    if preset is None:
        raise RuleInvalid(
            [
                RuleProblem(
                    "preset_id", f"шаблон «{request.preset_id}» не найден", f"preset '{request.preset_id}' not found"
                )
            ]
        )
    return parse_rule({**preset.rule, **request.overrides})
