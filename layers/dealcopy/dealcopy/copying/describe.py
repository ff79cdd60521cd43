"""Naming things the way a user sees them in amoCRM: stages, users and leads, not ids.

«этап #71000203» means nothing to a manager; «Выполнение → В работе» does. The widget shows
deal names with their links in results, list rows and the journal, and the card's tree lists
the deal's own linked catalog elements (with quantities) so each can be ticked. Pure reads over
the cached metadata and the `AmoApi` protocol; no HTTP library here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from dealcopy.copying.metadata import AccountMetadata, AmoApi
from dealcopy.copying.notes import lead_url
from dealcopy.copying.source import SourceLead

ARROW = " → "
MAX_LEADS = 250  # one read of sources (`read_sources` asks for up to 250 per request)


def stage_name(metadata: AccountMetadata | None, pipeline_id: int | None, status_id: int | None) -> str:
    """«Pipeline → Stage»; an unknown part (or any, with no metadata) keeps its number so nothing is hidden."""
    pipeline = metadata.pipelines.get(pipeline_id) if metadata and pipeline_id is not None else None
    status = pipeline.statuses.get(status_id) if pipeline and status_id is not None else None
    left = pipeline.name if pipeline else f"#{pipeline_id}"
    return left + ARROW + (status.name if status else f"#{status_id}")


def user_name(metadata: AccountMetadata, user_id: int | None) -> str:
    user = metadata.users.get(user_id) if user_id is not None else None
    return user.name if user else f"#{user_id}"


def element_names(api: AmoApi, wanted: Iterable[tuple[int, int]]) -> dict[int, str]:
    """`{element_id: name}` for `(catalog_id, element_id)` pairs: one request per catalog."""
    by_catalog: dict[int, list[int]] = {}
    for catalog_id, element_id in wanted:
        by_catalog.setdefault(catalog_id, []).append(element_id)
    names: dict[int, str] = {}
    for catalog_id, ids in by_catalog.items():
        params = {"filter[id][]": sorted(set(ids)), "limit": 250}
        body = api.get(f"/api/v4/catalogs/{catalog_id}/elements", params) or {}
        for raw in (body.get("_embedded") or {}).get("elements") or []:
            names[int(raw["id"])] = str(raw.get("name") or "")
    return names


def lead_view(
    lead: SourceLead, metadata: AccountMetadata, domain: str, names: dict[int, str] | None = None
) -> dict[str, Any]:
    """What the widget shows of a lead: name, link, stage by name and (with `names`) its linked elements."""
    view: dict[str, Any] = {
        "id": lead.id,
        "name": lead.name,
        "url": lead_url(domain, lead.id),
        "pipeline_id": lead.pipeline_id,
        "status_id": lead.status_id,
        "stage": stage_name(metadata, lead.pipeline_id, lead.status_id),
    }
    if names is not None:
        view["elements"] = [
            {
                "id": e.id,
                "catalog_id": e.catalog_id,
                "name": names.get(e.id) or f"#{e.id}",
                "quantity": e.quantity,
            }
            for e in lead.catalog_elements
            if e.catalog_id is not None
        ]
    return view


def lead_views(
    api: AmoApi, leads: Sequence[SourceLead], metadata: AccountMetadata, domain: str, with_elements: bool
) -> list[dict[str, Any]]:
    """Views of `leads`, with their linked elements' names when asked (one request per catalog)."""
    names = None
    if with_elements:
        pairs = [(e.catalog_id, e.id) for lead in leads for e in lead.catalog_elements if e.catalog_id is not None]
        names = element_names(api, pairs) if pairs else {}
    return [lead_view(lead, metadata, domain, names) for lead in leads]
