"""`preview_copy`: exactly what a copy would carry and skip, and where it would land, without making it.

The same plan a copy makes (`CopyEngine.plan`: rule, rights, fields, anonymisation), from one
read of the source; with the account's metadata warm that read is the only amoCRM request.
Nothing is written anywhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, PositiveInt, model_validator

from dealcopy.copying.describe import stage_name
from dealcopy.storage.presets import PRESET_ID_PATTERN

if TYPE_CHECKING:
    from dealcopy.usecases.rules import RuleBook


class PreviewRequest(BaseModel):
    """`{lead_id, rule | preset_id (+ overrides)}`: a copy request without a key (nothing is made)."""

    model_config = ConfigDict(extra="forbid")

    lead_id: PositiveInt
    rule: dict[str, Any] | None = None
    preset_id: str | None = Field(default=None, pattern=PRESET_ID_PATTERN)
    overrides: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _one_rule_source(self) -> PreviewRequest:
        if (self.rule is None) == (self.preset_id is None):
            raise ValueError("give exactly one of `rule` or `preset_id`")
        return self


def preview_copy(request: PreviewRequest, actor_user_id: int, *, rules: RuleBook) -> dict[str, Any]:
    """The plan of a copy of `request.lead_id` as `actor_user_id` would make it (a `CopyError` if it could not)."""
    rule = rules.resolve(request)  # type: ignore[arg-type]  # a RuleChoice without the key
    engine = rules.engine
    engine.check_rule(rule)
    plan = engine.plan(engine.read_source(request.lead_id), rule, actor_user_id)
    payload = plan.payload
    return {
        "source_id": plan.source_id,
        "name": payload.get("name"),
        "pipeline_id": payload.get("pipeline_id"),
        "status_id": payload.get("status_id"),
        "stage": stage_name(engine.metadata(), payload.get("pipeline_id"), payload.get("status_id")),
        "responsible_user_id": payload.get("responsible_user_id"),
        "carried": plan.copied.model_dump(mode="json"),
        "skipped": [skip.model_dump(mode="json") for skip in plan.skipped],
        "warnings": plan.warnings,
        # an anonymised copy: every field it would mask or remove, by name, to check before it is sent
        "anonymised": [item.model_dump(mode="json") for item in plan.anonymised],
    }
