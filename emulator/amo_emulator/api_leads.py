"""``/api/v4/leads``: read (with filters and ``with=``), create and update."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.responses import Response

from . import serialize as ser
from .api_account import single
from .gateway import ApiContext
from .lead_writer import create_lead, update_lead, validate_item
from .paging import collection
from .problems import ItemErrors, hal, not_found, validation_failed
from .query import as_int_list, as_list, time_range, to_int
from .state import Lead

MAX_BATCH = 250


def _in_range(value: int | None, spec: Any) -> bool:
    lo, hi = time_range(spec)
    if value is None:
        return lo is None and hi is None
    return (lo is None or value >= lo) and (hi is None or value <= hi)


def _status_filter(spec: Any) -> list[tuple[int | None, int | None]]:
    """Only entry `[0]` of `filter[statuses]` counts: the current docs allow one stage per request
    (facts: Leads, conflicting pages); honouring the first and silently ignoring the rest is the
    strict reading a client must survive."""
    first = spec.get("0") if isinstance(spec, dict) else (spec[0] if isinstance(spec, list) and spec else None)
    return [(to_int(first.get("pipeline_id")), to_int(first.get("status_id")))] if isinstance(first, dict) else []


def _filtered(ctx: ApiContext) -> list[Lead]:
    flt = ctx.filter
    only_deleted = "only_deleted" in ctx.with_
    ids = set(as_int_list(flt.get("id")))
    names = set(as_list(flt.get("name")))
    pipelines = set(as_int_list(flt.get("pipeline_id")))
    responsible = set(as_int_list(flt.get("responsible_user_id")))
    statuses = _status_filter(flt.get("statuses"))
    query = str(ctx.query.get("query") or "").lower()

    def keep(lead: Lead) -> bool:
        return (
            lead.is_deleted == only_deleted
            and (not ids or lead.id in ids)
            and (not names or lead.name in names)
            and (not pipelines or lead.pipeline_id in pipelines)
            and (not responsible or lead.responsible_user_id in responsible)
            and (
                not statuses
                or any((p is None or p == lead.pipeline_id) and (s is None or s == lead.status_id) for p, s in statuses)
            )
            and all(
                _in_range(getattr(lead, key), flt[key])
                for key in ("created_at", "updated_at", "closed_at", "price")
                if key in flt
            )
            and (not query or query in lead.name.lower() or query == str(lead.id))
        )

    leads = [lead for lead in ctx.account.leads.values() if keep(lead)]
    order = ctx.query.get("order")
    key, direction = "id", "asc"
    if isinstance(order, dict) and order:
        key, direction = next(iter(order.items()))
        key = key if key in ("id", "created_at", "updated_at") else "id"
    leads.sort(key=lambda lead: (getattr(lead, key), lead.id), reverse=direction == "desc")
    return leads


def list_leads(ctx: ApiContext) -> Response:
    page = ctx.page()
    if isinstance(page, Response):
        return page
    with_ = ctx.with_
    return collection(
        ctx.request,
        "leads",
        _filtered(ctx),
        lambda lead: ser.lead_to_api(ctx.account, lead, ctx.base, with_),
        page,
    )


def get_lead(ctx: ApiContext) -> Response:
    lead = ctx.account.leads.get(ctx.path_int("id"))
    if lead is not None and lead.is_deleted != ("only_deleted" in ctx.with_):
        lead = None
    return single(lead, lambda lead: ser.lead_to_api(ctx.account, lead, ctx.base, ctx.with_))


def _batch(body: Any) -> list[Any] | Response:
    """A write body must be a non-empty JSON array of at most 250 items."""
    errors = ItemErrors("0")
    if not isinstance(body, list):
        errors.invalid_type("", "array")
    elif not body:
        errors.add("", "NotBlank")
    elif len(body) > MAX_BATCH:
        errors.add("", "TooManyEntities", f"Maximum {MAX_BATCH} entities per request")
    return validation_failed([errors]) if errors else body


def create_leads(ctx: ApiContext) -> Response:
    items = _batch(ctx.body)
    if isinstance(items, Response):
        return items
    results = [validate_item(ctx.account, item, i) for i, item in enumerate(items)]
    return _write_all(ctx, results, lambda draft: create_lead(ctx.account, draft, ctx.user_id, ctx.now), {})


def _write_all(ctx: ApiContext, results: list, write: Callable[[Any], Any], extra: dict[str, Callable]) -> Response:
    """amoCRM validates the whole batch first: nothing is written when any item fails."""
    failures = [errors for draft, errors in results if draft is None]
    if failures:
        return validation_failed(failures)
    out = []
    for draft, _ in results:
        lead = write(draft)
        out.append(
            {
                "id": lead.id,
                **{key: value(lead) for key, value in extra.items()},
                "request_id": draft.request_id,
                "_links": ser.self_link(ctx.base, f"/leads/{lead.id}"),
            }
        )
    return hal({"_links": {"self": {"href": str(ctx.request.url)}}, "_embedded": {"leads": out}})


def update_leads(ctx: ApiContext) -> Response:
    items = _batch(ctx.body)
    if isinstance(items, Response):
        return items
    results = []
    for i, item in enumerate(items):
        lead_id = item.get("id") if isinstance(item, dict) else None
        current = ctx.account.active_lead(lead_id) if isinstance(lead_id, int) else None
        if current is None:
            errors = ItemErrors(str(item.get("request_id", i)) if isinstance(item, dict) else str(i))
            errors.add("id", "FieldMissing" if lead_id is None else "NotSupportedChoice")
            results.append((None, errors))
        else:
            results.append(validate_item(ctx.account, item, i, current=current))
    return _write_all(
        ctx,
        results,
        lambda draft: update_lead(ctx.account, draft, ctx.user_id, ctx.now),
        {"updated_at": lambda lead: lead.updated_at},
    )


def update_one_lead(ctx: ApiContext) -> Response:
    current = ctx.account.active_lead(ctx.path_int("id"))
    if current is None:
        return not_found("Lead not found")
    item = ctx.body
    if isinstance(item, dict) and "id" in item:
        item = {k: v for k, v in item.items() if k != "id"}
    draft, errors = validate_item(ctx.account, item, 0, current=current)
    if draft is None:
        return validation_failed([errors])
    lead = update_lead(ctx.account, draft, ctx.user_id, ctx.now)
    return hal({"id": lead.id, "updated_at": lead.updated_at, "_links": ser.self_link(ctx.base, f"/leads/{lead.id}")})


ROUTES = [
    ("/api/v4/leads", ["GET"], list_leads),
    ("/api/v4/leads", ["POST"], create_leads),
    ("/api/v4/leads", ["PATCH"], update_leads),
    ("/api/v4/leads/{id:int}", ["GET"], get_lead),
    ("/api/v4/leads/{id:int}", ["PATCH"], update_one_lead),
]
