"""``/api/v4/catalogs`` (lists: products, invoices, regular) and their elements."""

from __future__ import annotations

from starlette.responses import Response

from . import serialize as ser
from .api_account import single
from .gateway import ApiContext
from .paging import collection
from .problems import not_found
from .query import as_int_list


def list_catalogs(ctx: ApiContext) -> Response:
    page = ctx.page()
    if isinstance(page, Response):
        return page
    catalogs = sorted(ctx.account.catalogs.values(), key=lambda c: (c.sort, c.id))
    return collection(
        ctx.request, "catalogs", catalogs, lambda c: ser.catalog_to_api(ctx.account, c, ctx.base), page, True
    )


def get_catalog(ctx: ApiContext) -> Response:
    catalog = ctx.account.catalogs.get(ctx.path_int("id"))
    return single(catalog, lambda c: ser.catalog_to_api(ctx.account, c, ctx.base))


def list_elements(ctx: ApiContext) -> Response:
    catalog_id = ctx.path_int("id")
    if catalog_id not in ctx.account.catalogs:
        return not_found("Catalog not found")
    page = ctx.page()
    if isinstance(page, Response):
        return page
    ids = set(as_int_list(ctx.filter.get("id")))
    query = str(ctx.query.get("query") or "").lower()
    elements = [
        e
        for e in ctx.account.elements.values()
        if e.catalog_id == catalog_id
        and not e.is_deleted
        and (not ids or e.id in ids)
        and (not query or query in e.name.lower())
    ]
    elements.sort(key=lambda e: e.id)
    return collection(ctx.request, "elements", elements, lambda e: ser.element_to_api(ctx.account, e, ctx.base), page)


def get_element(ctx: ApiContext) -> Response:
    element = ctx.account.elements.get(ctx.path_int("element_id"))
    if element is not None and (element.catalog_id != ctx.path_int("id") or element.is_deleted):
        element = None
    return single(element, lambda e: ser.element_to_api(ctx.account, e, ctx.base))


ROUTES = [
    ("/api/v4/catalogs", ["GET"], list_catalogs),
    ("/api/v4/catalogs/{id:int}", ["GET"], get_catalog),
    ("/api/v4/catalogs/{id:int}/elements", ["GET"], list_elements),
    ("/api/v4/catalogs/{id:int}/elements/{element_id:int}", ["GET"], get_element),
]
