"""Reconciling uncertain creates: did amoCRM make the lead we asked for?

A create that timed out or got 500/502/504 may have happened (`AmoAmbiguousWrite`), and so
may one whose worker crashed before it saved the answer. amoCRM keeps no idempotency key
(`request_id` is only echoed in the answer), so we look for the lead itself:

1. wait until the attempt has *settled* (`job_settle_seconds` after it was sent), so a create
   still running inside amoCRM has finished (assumption: amoCRM finishes or drops a request
   within that time);
2. one `GET /api/v4/leads` per target stage of the batch, with the documented filters
   `filter[statuses][0][pipeline_id|status_id]` and `filter[created_at][from]` (the earliest
   attempt minus a clock-skew margin), `with=contacts`. One stage per request: the current
   leads-list docs allow only one stage per filter, and a search that silently honoured only
   the first of several would miss a lead we made (then create it twice);
3. a candidate matches a plan when everything we sent that amoCRM echoes is equal: name,
   pipeline, stage, responsible user, budget, contacts, company, and the custom fields it kept
   are a subset of those we sent (amoCRM may drop some);
4. leads already claimed by another copy (a lineage record exists) are never taken; each
   candidate is taken once, the oldest first.

Found: the job adopts the lead and continues with links and notes. Not found after the attempt
settled: the create never happened and is sent again. Assumption: nobody else creates a lead
identical in all those attributes in the same stage within the window; two plans of one batch
that are identical in all of them are interchangeable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from dealcopy.copying.metadata import AmoApi
from dealcopy.copying.plan import CopyPlan

CLOCK_SKEW = 120  # seconds between our clock and amoCRM's that the created_at filter tolerates


def stages_of(plans: Sequence[CopyPlan]) -> list[tuple[int, int]]:
    """The (pipeline, stage) pairs the plans target, each once, in a stable order."""
    return sorted({(p.payload["pipeline_id"], p.payload["status_id"]) for p in plans})


def search_params(stage: tuple[int, int], since: float) -> dict[str, Any]:
    """The search for leads created in one stage since `since` (minus the clock-skew margin)."""
    pipeline_id, status_id = stage
    return {
        "with": "contacts",
        "filter[created_at][from]": max(0, int(since) - CLOCK_SKEW),
        "filter[statuses][0][pipeline_id]": pipeline_id,
        "filter[statuses][0][status_id]": status_id,
    }


def find_candidates(api: AmoApi, plans: Sequence[CopyPlan], since: float) -> list[dict[str, Any]]:
    """Every lead created in a target stage of `plans` since `since`: one search per stage."""
    found: dict[int, dict[str, Any]] = {}
    for stage in stages_of(plans):
        for lead in api.paginate("/api/v4/leads", "leads", search_params(stage, since)):
            found.setdefault(int(lead["id"]), lead)
    return list(found.values())


def _ids(items: Iterable[dict[str, Any]] | None) -> set[int]:
    return {int(item["id"]) for item in items or [] if isinstance(item, dict) and "id" in item}


def _field_values(items: Iterable[dict[str, Any]] | None) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = {}
    for item in items or []:
        if isinstance(item, dict) and isinstance(item.get("field_id"), int):
            out[item["field_id"]] = [v.get("value") for v in item.get("values") or [] if isinstance(v, dict)]
    return out


def matches(plan: CopyPlan, lead: dict[str, Any]) -> bool:
    payload = plan.payload
    for key in ("pipeline_id", "status_id", "responsible_user_id"):
        if lead.get(key) != payload.get(key):
            return False
    if "name" in payload and lead.get("name") != payload["name"]:
        return False
    if int(lead.get("price") or 0) != int(payload.get("price") or 0):
        return False
    embedded = payload.get("_embedded") or {}
    found = lead.get("_embedded") or {}
    if _ids(embedded.get("contacts")) != _ids(found.get("contacts")):
        return False
    if _ids(embedded.get("companies")) != _ids(found.get("companies")):
        return False
    sent = _field_values(payload.get("custom_fields_values"))
    kept = _field_values(lead.get("custom_fields_values"))
    if not set(kept) <= set(sent):
        return False
    # A url field with the source's link (rule.source_link_field_id) tells copies of different sources apart.
    link_field = plan.source_link_field_id
    return not (link_field and link_field in kept and kept[link_field] != sent.get(link_field))


def assign(plans: Sequence[CopyPlan], candidates: Sequence[dict[str, Any]], claimed: set[int]) -> dict[str, int]:
    """request_id -> lead id for every plan whose lead exists."""
    free = sorted((c for c in candidates if int(c["id"]) not in claimed), key=lambda c: int(c["id"]))
    taken: set[int] = set()
    found: dict[str, int] = {}
    for plan in plans:
        for lead in free:
            lead_id = int(lead["id"])
            if lead_id not in taken and matches(plan, lead):
                taken.add(lead_id)
                found[plan.request_id] = lead_id
                break
    return found


def find_made(
    api: AmoApi, plans: Sequence[CopyPlan], since: float, claimed: Callable[[list[int]], set[int]]
) -> dict[str, int]:
    """request_id -> lead id of every plan amoCRM did make; `claimed` names leads already taken by a copy."""
    candidates = find_candidates(api, plans, since)
    return assign(plans, candidates, claimed([int(c["id"]) for c in candidates]))
