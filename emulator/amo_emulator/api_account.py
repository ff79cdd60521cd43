"""``/api/v4/account``, ``/users`` and ``/roles``."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from . import serialize as ser
from .gateway import ApiContext
from .paging import collection
from .problems import hal, no_content


def single(entity: Any, render: Any) -> Response:
    """GET of one missing entity: amoCRM answers 204 No Content rather than 404.

    Confirmed for leads by client code that treats a 204 from ``leads/{id}`` as "gone";
    assumed for the other single-entity reads of the same API generation.
    """
    return no_content() if entity is None else hal(render(entity))


def get_account(ctx: ApiContext) -> Response:
    acc = ctx.account
    data: dict[str, Any] = {
        "id": acc.id,
        "name": acc.name,
        "subdomain": acc.subdomain,
        "created_at": acc.created_at,
        "created_by": 0,
        "updated_at": acc.created_at,
        "updated_by": 0,
        "current_user_id": ctx.user_id,
        "country": "RU",
        "customers_mode": "disabled",
        "is_unsorted_on": True,
        "is_loss_reason_enabled": True,
        "is_helpbot_enabled": False,
        "is_technical_account": False,
        "contact_name_display_order": 1,
        "currency": "RUB",
        "currency_symbol": "₽",
        "_links": {"self": {"href": f"{ctx.base}/api/v4/account"}},
    }
    with_ = ctx.with_
    embedded: dict[str, Any] = {}
    if "version" in with_:
        data["version"] = 11
    if "users_groups" in with_:
        groups = [{"id": 0, "name": "Отдел продаж", "uuid": None}]
        groups += [{"id": g.id, "name": g.name, "uuid": None} for g in acc.groups.values()]
        embedded["users_groups"] = groups
    if "datetime_settings" in with_:
        embedded["datetime_settings"] = datetime_settings(acc.timezone, ctx.now)
    if embedded:
        data["_embedded"] = embedded
    return hal(data)


def datetime_settings(zone: str, now: float) -> dict[str, Any]:
    """The account's date and time settings as `with=datetime_settings` embeds them (its zone and patterns)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    offset = datetime.fromtimestamp(now, ZoneInfo(zone)).strftime("%z")
    return {
        "date_pattern": "d.m.Y H:i",
        "short_date_pattern": "d.m.Y",
        "short_time_pattern": "H:i",
        "date_format": "d.m.Y",
        "time_format": "H:i:s",
        "timezone": zone,
        "timezone_offset": f"{offset[:3]}:{offset[3:]}",
    }


def list_users(ctx: ApiContext) -> Response:
    page = ctx.page()
    if isinstance(page, Response):
        return page
    users = sorted(ctx.account.users.values(), key=lambda u: u.id)
    with_ = ctx.with_
    return collection(
        ctx.request, "users", users, lambda u: ser.user_to_api(ctx.account, u, ctx.base, with_), page, True
    )


def get_user(ctx: ApiContext) -> Response:
    user = ctx.account.users.get(ctx.path_int("id"))
    return single(user, lambda u: ser.user_to_api(ctx.account, u, ctx.base, ctx.with_))


def list_roles(ctx: ApiContext) -> Response:
    page = ctx.page()
    if isinstance(page, Response):
        return page
    roles = sorted(ctx.account.roles.values(), key=lambda r: r.id)
    return collection(ctx.request, "roles", roles, lambda r: ser.role_to_api(ctx.account, r, ctx.base), page, True)


def get_role(ctx: ApiContext) -> Response:
    role = ctx.account.roles.get(ctx.path_int("id"))
    return single(role, lambda r: ser.role_to_api(ctx.account, r, ctx.base))


ROUTES = [
    ("/api/v4/account", ["GET"], get_account),
    ("/api/v4/users", ["GET"], list_users),
    ("/api/v4/users/{id:int}", ["GET"], get_user),
    ("/api/v4/roles", ["GET"], list_roles),
    ("/api/v4/roles/{id:int}", ["GET"], get_role),
]
