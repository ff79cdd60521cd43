"""A deal's copy family: the lead it was copied from, and its copies (and theirs) three generations down.

Built from the lineage every copy job records (`copy lead -> source lead, trigger`), read in one
query, and one batched amoCRM read of the family's leads for their names and stages; a copy that
read does not return was deleted (`exists: false`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import BaseModel, PositiveInt

from dealcopy.copying.describe import stage_name
from dealcopy.copying.notes import lead_url

if TYPE_CHECKING:
    from dealcopy.copying.engine import CopyEngine
    from dealcopy.records.job import Lineage

MAX_DEPTH = 3  # copies, copies of copies, and theirs
MAX_COPIES = 250  # one amoCRM page: the read stays one request


class FamilyRequest(BaseModel):
    lead_id: PositiveInt


class LineageReader(Protocol):
    def every(self, account_id: int) -> Sequence[Lineage]: ...


def trigger_of(lineage: Lineage) -> str:
    """manual | dp | bulk | repeat | delayed (a DP copy made later, after a delay)."""
    return "delayed" if lineage.trigger == "dp" and lineage.origin == "delayed" else lineage.trigger


def copy_family(
    request: FamilyRequest, account_id: int, *, lineage: LineageReader, engine: CopyEngine
) -> dict[str, Any]:
    """`{lead_id, origin, copies}`: copies first generation first, each in the order it was made."""
    lead_id = request.lead_id
    records = list(lineage.every(account_id))
    parent = {r.lead_id: r for r in records}
    children: dict[int, list[Lineage]] = defaultdict(list)
    for record in records:
        children[record.source_id].append(record)
    family: list[tuple[Lineage, int]] = []
    level = [lead_id]
    for generation in range(1, MAX_DEPTH + 1):
        level_records = [child for lid in level for child in sorted(children.get(lid, []), key=lambda r: r.lead_id)]
        family += [(r, generation) for r in level_records]
        level = [r.lead_id for r in level_records]
    family = family[:MAX_COPIES]
    origin_id = parent[lead_id].source_id if lead_id in parent else None
    leads = engine.read_sources([*([origin_id] if origin_id else []), *(r.lead_id for r, _ in family)])
    metadata = engine.metadata() if family else None
    domain = engine.domain
    origin = None
    if origin_id is not None:
        found = leads.get(origin_id)
        origin = {"lead_id": origin_id, "name": found.name if found else None, "url": lead_url(domain, origin_id)}
        origin["exists"] = found is not None
    copies = []
    for record, generation in family:
        lead = leads.get(record.lead_id)
        copies.append(
            {
                "lead_id": record.lead_id,
                "source_id": record.source_id,
                "generation": generation,
                "name": lead.name if lead else None,
                "url": lead_url(domain, record.lead_id),
                "pipeline_id": lead.pipeline_id if lead else None,
                "status_id": lead.status_id if lead else None,
                "pipeline": _pipeline(metadata, lead),
                "stage": stage_name(metadata, lead.pipeline_id, lead.status_id) if lead and metadata else None,
                "created_at": lead.created_at if lead else None,
                "trigger": trigger_of(record),
                "exists": lead is not None,
            }
        )
    return {"lead_id": lead_id, "origin": origin, "copies": copies}


def _pipeline(metadata: Any, lead: Any) -> str | None:
    if lead is None or metadata is None:
        return None
    pipeline = metadata.pipelines.get(lead.pipeline_id)
    return pipeline.name if pipeline else f"#{lead.pipeline_id}"
