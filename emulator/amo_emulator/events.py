"""The account's event feed (``GET /api/v4/events``): recording and filtering."""

from __future__ import annotations

from typing import Any

from .query import as_int_list, as_list, time_range, to_int
from .state import Account, Event, Lead


def lead_status_value(lead: Lead) -> list[dict[str, Any]]:
    return [{"lead_status": {"id": lead.status_id, "pipeline_id": lead.pipeline_id}}]


def record(
    account: Account,
    type_: str,
    entity_type: str,
    entity_id: int,
    created_by: int,
    created_at: int,
    value_after: list[dict[str, Any]],
    value_before: list[dict[str, Any]] | None = None,
) -> Event:
    number = account.ids.claim("event")
    event = Event(
        id=f"{number:024x}",
        type=type_,
        entity_type=entity_type,
        entity_id=entity_id,
        created_by=created_by,
        created_at=created_at,
        value_after=value_after,
        value_before=value_before or [],
    )
    account.events.append(event)
    if entity_type == "lead" and type_ in ("lead_added", "lead_status_changed"):
        # A Digital Pipeline trigger on the stage the lead just entered fires its hook.
        for value in value_after:
            status = value.get("lead_status")
            if status:
                account.dp.lead_entered(
                    account.id, account.subdomain, entity_id, status["pipeline_id"], status["id"], created_at
                )
    return event


def _status_pairs(spec: Any) -> list[tuple[int | None, int | None]]:
    """``filter[value_after][leads_statuses][0][pipeline_id]=..&...[status_id]=..``."""
    pairs = []
    for item in as_list(spec):
        if isinstance(item, dict):
            pairs.append((to_int(item.get("pipeline_id")), to_int(item.get("status_id"))))
    return pairs


def _status_matches(values: list[dict[str, Any]], pairs: list[tuple[int | None, int | None]]) -> bool:
    statuses = [v["lead_status"] for v in values if "lead_status" in v]
    for pipeline_id, status_id in pairs:
        for st in statuses:
            if (pipeline_id is None or st["pipeline_id"] == pipeline_id) and (
                status_id is None or st["id"] == status_id
            ):
                return True
    return False


def _leads_statuses(spec: Any) -> Any:
    return spec.get("leads_statuses") if isinstance(spec, dict) else None


def filter_events(account: Account, flt: dict[str, Any]) -> list[Event]:
    """Events matching ``filter[...]``, newest first (the order of amoCRM's feed)."""
    types = set(as_list(flt.get("type"), split_commas=True))
    entities = set(as_list(flt.get("entity"), split_commas=True))
    entity_ids = set(as_int_list(flt.get("entity_id")))
    created_by = set(as_int_list(flt.get("created_by")))
    lo, hi = time_range(flt.get("created_at")) if "created_at" in flt else (None, None)
    after = _status_pairs(_leads_statuses(flt.get("value_after")))
    before = _status_pairs(_leads_statuses(flt.get("value_before")))

    def keep(ev: Event) -> bool:
        return (
            (not types or ev.type in types)
            and (not entities or ev.entity_type in entities)
            and (not entity_ids or ev.entity_id in entity_ids)
            and (not created_by or ev.created_by in created_by)
            and (lo is None or ev.created_at >= lo)
            and (hi is None or ev.created_at <= hi)
            and (not after or _status_matches(ev.value_after, after))
            and (not before or _status_matches(ev.value_before, before))
        )

    return sorted((e for e in account.events if keep(e)), key=lambda e: (e.created_at, e.id), reverse=True)
