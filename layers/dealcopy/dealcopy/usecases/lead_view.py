"""`lead_views`: deals by name for the widget (results, list rows, journal, the card's own elements).

Only leads the calling user may view are described: a name is client data, and the widget
must not show a user what amoCRM itself would hide from them.
"""

from __future__ import annotations

from typing import Any

from dealcopy.copying.describe import MAX_LEADS
from dealcopy.copying.describe import lead_views as describe_leads
from dealcopy.copying.errors import CopyForbidden
from dealcopy.copying.rights import check_can_view
from dealcopy.usecases.rules import RuleBook


def parse_ids(raw: str | None) -> list[int]:
    """`1,2,3` from a query string; anything else in it is ignored, at most `MAX_LEADS` ids."""
    ids = [int(part) for part in (raw or "").split(",") if part.strip().isdigit() and int(part) > 0]
    return list(dict.fromkeys(ids))[:MAX_LEADS]


def lead_views(ids: list[int], user_id: int, *, rules: RuleBook, with_elements: bool = False) -> dict[str, Any]:
    """`{"leads": [{id, name, url, pipeline_id, status_id, stage, elements?}]}` of the leads the user may view."""
    engine = rules.engine
    metadata = engine.metadata()
    found = engine.read_sources(ids) if ids else {}
    visible = []
    for lead_id in ids:
        lead = found.get(lead_id)
        if lead is None:
            continue
        try:
            check_can_view(metadata, user_id, lead.ref)
        except CopyForbidden:
            continue
        visible.append(lead)
    return {"leads": describe_leads(engine.api, visible, metadata, engine.domain, with_elements)}
