"""`preview_copy`: exactly what a copy would carry and skip, and where it would land, without making it.

The same plan a copy makes (`CopyEngine.plan`: rule, rights, fields, anonymisation), from one
read of the source; with the account's metadata warm that read is the only amoCRM request.
Nothing is written anywhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import PositiveInt

from dealcopy.copying.describe import stage_name
from dealcopy.copying.field_plan import field_results
from dealcopy.usecases.requests import RuleSource

if TYPE_CHECKING:
    from dealcopy.usecases.rules import RuleBook


class PreviewRequest(RuleSource):
    """`{lead_id, rule | preset_id (+ overrides)}`: a copy request without a key (nothing is made)."""

    lead_id: PositiveInt


def preview_copy(request: PreviewRequest, actor_user_id: int, *, rules: RuleBook) -> dict[str, Any]:
    """The plan of a copy of `request.lead_id` as `actor_user_id` would make it (a `CopyError` if it could not)."""
    rule = rules.resolve(request)
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
        "fields": field_results(payload, plan.copied.fields, plan.skipped),
    }
