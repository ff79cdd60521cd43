"""Custom field definitions of leads, contacts, companies and catalogs."""

from __future__ import annotations

from functools import partial

from starlette.responses import Response

from . import serialize as ser
from .api_account import single
from .gateway import ApiContext
from .paging import collection
from .problems import not_found
from .query import as_int_list, as_list
from .state import CustomField


def _fields(ctx: ApiContext, entity_type: str, catalog_id: int | None = None) -> list[CustomField]:
    flt = ctx.filter
    ids = set(as_int_list(flt.get("id")))
    types = set(as_list(flt.get("type"), split_commas=True))
    fields = [
        f
        for f in ctx.account.fields_of(entity_type, catalog_id)
        if (not ids or f.id in ids) and (not types or f.type in types)
    ]
    return sorted(fields, key=lambda f: (f.sort, f.id))


def _list(ctx: ApiContext, entity_type: str, catalog_id: int | None = None) -> Response:
    page = ctx.page()
    if isinstance(page, Response):
        return page
    fields = _fields(ctx, entity_type, catalog_id)
    return collection(
        ctx.request, "custom_fields", fields, lambda f: ser.field_to_api(ctx.account, f, ctx.base), page, True
    )


def _one(ctx: ApiContext, entity_type: str, catalog_id: int | None = None) -> Response:
    field = ctx.account.custom_fields.get(ctx.path_int("id"))
    if field is not None and (field.entity_type != entity_type or field.catalog_id != catalog_id):
        field = None
    return single(field, lambda f: ser.field_to_api(ctx.account, f, ctx.base))


def list_catalog_fields(ctx: ApiContext) -> Response:
    catalog_id = ctx.path_int("catalog_id")
    if catalog_id not in ctx.account.catalogs:
        return not_found("Catalog not found")
    return _list(ctx, "catalogs", catalog_id)


def get_catalog_field(ctx: ApiContext) -> Response:
    return _one(ctx, "catalogs", ctx.path_int("catalog_id"))


ROUTES = [
    route
    for entity in ("leads", "contacts", "companies")
    for route in (
        (f"/api/v4/{entity}/custom_fields", ["GET"], partial(_list, entity_type=entity)),
        (f"/api/v4/{entity}/custom_fields/{{id:int}}", ["GET"], partial(_one, entity_type=entity)),
    )
]
ROUTES += [
    ("/api/v4/catalogs/{catalog_id:int}/custom_fields", ["GET"], list_catalog_fields),
    ("/api/v4/catalogs/{catalog_id:int}/custom_fields/{id:int}", ["GET"], get_catalog_field),
]
