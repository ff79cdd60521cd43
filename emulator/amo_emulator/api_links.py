"""``/api/v4/leads/{id}/links``, ``/link``, ``/unlink`` and their batch forms."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from . import serialize as ser
from .gateway import ApiContext
from .links import LINKABLE_TYPES, add_link, remove_link, validate_link
from .paging import collection
from .problems import ItemErrors, hal, no_content, not_found, validation_failed
from .query import as_int_list, as_list
from .state import Link


def get_links(ctx: ApiContext) -> Response:
    lead_id = ctx.path_int("id")
    if ctx.account.active_lead(lead_id) is None:
        return no_content()
    flt = ctx.filter
    types = set(as_list(flt.get("to_entity_type"), split_commas=True))
    ids = set(as_int_list(flt.get("to_entity_id")))
    catalogs = set(as_int_list(flt.get("to_catalog_id")))
    links = [
        ln
        for ln in ctx.account.links_of(lead_id)
        if (not types or ln.to_entity_type in types)
        and (not ids or ln.to_entity_id in ids)
        and (not catalogs or (ln.metadata or {}).get("catalog_id") in catalogs)
    ]
    return collection(ctx.request, "links", links, ser.link_to_api)


def _validated(ctx: ApiContext, items: Any, fixed_lead: int | None) -> list[Link] | Response:
    """Validate a whole link body first; amoCRM links nothing when one element is wrong."""
    if not isinstance(items, list) or not items:
        errors = ItemErrors("0")
        errors.invalid_type("", "array")
        return validation_failed([errors])
    links, failures = [], []
    for i, item in enumerate(items):
        errors = ItemErrors(str(i))
        lead_id = fixed_lead
        if fixed_lead is None:
            lead_id = item.get("entity_id") if isinstance(item, dict) else None
            if not isinstance(item, dict) or item.get("entity_type", "leads") != "leads":
                errors.add("entity_type")
            elif ctx.account.active_lead(lead_id) is None:
                errors.add("entity_id")
        link = None if errors else validate_link(ctx.account, lead_id, item, errors, batch=fixed_lead is None)
        if link is None:
            failures.append(errors)
        else:
            links.append(link)
    return validation_failed(failures) if failures else links


def _link(ctx: ApiContext, fixed_lead: int | None) -> Response:
    if fixed_lead is not None and ctx.account.active_lead(fixed_lead) is None:
        return not_found("Lead not found")
    links = _validated(ctx, ctx.body, fixed_lead)
    if isinstance(links, Response):
        return links
    stored = [ser.link_to_api(add_link(ctx.account, ln)) for ln in links]
    return hal(
        {
            "_total_items": len(stored),
            "_links": {"self": {"href": str(ctx.request.url)}},
            "_embedded": {"links": stored},
        }
    )


def _unlink(ctx: ApiContext, fixed_lead: int | None) -> Response:
    if fixed_lead is not None and ctx.account.active_lead(fixed_lead) is None:
        return not_found("Lead not found")
    items = ctx.body
    if not isinstance(items, list) or not items:
        errors = ItemErrors("0")
        errors.invalid_type("", "array")
        return validation_failed([errors])
    failures = []
    for i, item in enumerate(items):
        errors = ItemErrors(str(i))
        if not isinstance(item, dict) or item.get("to_entity_type") not in LINKABLE_TYPES:
            errors.add("to_entity_type")
        failures += [errors] if errors else []
    if failures:
        return validation_failed(failures)
    for item in items:
        lead_id = fixed_lead if fixed_lead is not None else item.get("entity_id")
        remove_link(ctx.account, lead_id, item["to_entity_type"], item.get("to_entity_id"))
    return no_content()


def link_one(ctx: ApiContext) -> Response:
    return _link(ctx, ctx.path_int("id"))


def link_batch(ctx: ApiContext) -> Response:
    return _link(ctx, None)


def unlink_one(ctx: ApiContext) -> Response:
    return _unlink(ctx, ctx.path_int("id"))


def unlink_batch(ctx: ApiContext) -> Response:
    return _unlink(ctx, None)


ROUTES = [
    ("/api/v4/leads/{id:int}/links", ["GET"], get_links),
    ("/api/v4/leads/{id:int}/link", ["POST"], link_one),
    ("/api/v4/leads/link", ["POST"], link_batch),
    ("/api/v4/leads/{id:int}/unlink", ["POST"], unlink_one),
    ("/api/v4/leads/unlink", ["POST"], unlink_batch),
]
