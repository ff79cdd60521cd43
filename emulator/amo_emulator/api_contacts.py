"""Read access to contacts and companies (``/api/v4/contacts``, ``/api/v4/companies``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.responses import Response

from . import serialize as ser
from .api_account import single
from .gateway import ApiContext
from .paging import collection
from .query import as_int_list
from .state import Company, Contact


def _matches_query(entity: Contact | Company, query: str) -> bool:
    if not query:
        return True
    texts = [entity.name] + [str(v.get("value")) for values in entity.fields.values() for v in values]
    return any(query in t.lower() for t in texts)


def _list(ctx: ApiContext, store: dict[int, Any], key: str, render: Any) -> Response:
    page = ctx.page()
    if isinstance(page, Response):
        return page
    ids = set(as_int_list(ctx.filter.get("id")))
    responsible = set(as_int_list(ctx.filter.get("responsible_user_id")))
    query = str(ctx.query.get("query") or "").lower()
    items = [
        e
        for e in store.values()
        if not e.is_deleted
        and (not ids or e.id in ids)
        and (not responsible or e.responsible_user_id in responsible)
        and _matches_query(e, query)
    ]
    items.sort(key=lambda e: e.id)
    return collection(ctx.request, key, items, render, page)


def list_contacts(ctx: ApiContext) -> Response:
    with_ = ctx.with_
    return _list(ctx, ctx.account.contacts, "contacts", lambda c: ser.contact_to_api(ctx.account, c, ctx.base, with_))


def _get(ctx: ApiContext, store: dict[int, Any], render: Callable[[Any], dict[str, Any]]) -> Response:
    """One contact or company by id; a deleted one is as absent as a missing one (204)."""
    entity = store.get(ctx.path_int("id"))
    return single(None if entity is None or entity.is_deleted else entity, render)


def get_contact(ctx: ApiContext) -> Response:
    return _get(ctx, ctx.account.contacts, lambda c: ser.contact_to_api(ctx.account, c, ctx.base, ctx.with_))


def list_companies(ctx: ApiContext) -> Response:
    with_ = ctx.with_
    return _list(ctx, ctx.account.companies, "companies", lambda c: ser.company_to_api(ctx.account, c, ctx.base, with_))


def get_company(ctx: ApiContext) -> Response:
    return _get(ctx, ctx.account.companies, lambda c: ser.company_to_api(ctx.account, c, ctx.base, ctx.with_))


ROUTES = [
    ("/api/v4/contacts", ["GET"], list_contacts),
    ("/api/v4/contacts/{id:int}", ["GET"], get_contact),
    ("/api/v4/companies", ["GET"], list_companies),
    ("/api/v4/companies/{id:int}", ["GET"], get_company),
]
