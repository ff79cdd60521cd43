"""Routes of the control API under ``/_emulator`` (test and demo plumbing).

Never rate-limited, faulted or written to an account's request log.  Bodies and
answers are plain JSON; errors are ``{"error": "..."}`` with 400/404.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from . import oauth
from . import serialize as ser
from .custom_fields import values_to_api
from .problems import json_response
from .query import to_int
from .seed_demo import DEMO_IDS, create_demo_account
from .seeding import SeedError, apply_seed, new_account, seed_minimal
from .state import Account, EmulatorState, Integration

ALL_WITH = frozenset({"contacts", "catalog_elements", "source_id", "loss_reason", "is_price_modified_by_robot"})
Body = dict[str, Any]
ControlHandler = Callable[[Request, EmulatorState, Body, Account | None], Any]


class ControlError(Exception):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def _route(path: str, handler: ControlHandler, methods: list[str]) -> Route:
    async def endpoint(request: Request) -> Response:
        state: EmulatorState = request.app.state.emulator
        raw = await request.body()
        try:
            body = json.loads(raw) if raw.strip() else {}
        except ValueError:
            return json_response({"error": "body is not valid JSON"}, 400)
        with state.lock:
            try:
                account = None
                if "account_id" in request.path_params:
                    account = state.accounts.get(int(request.path_params["account_id"]))
                    if account is None:
                        raise ControlError("account not found", 404)
                result = handler(request, state, body if isinstance(body, dict) else {"items": body}, account)
            except SeedError as err:
                return json_response(err.as_dict(), 400)
            except ControlError as err:
                return json_response({"error": str(err)}, err.status)
            except (KeyError, ValueError, TypeError) as err:
                return json_response({"error": f"{type(err).__name__}: {err}"}, 400)
        return result if isinstance(result, Response) else json_response(result)

    return Route(f"/_emulator{path}", endpoint, methods=methods)


def _require(body: Body, *keys: str) -> list[Any]:
    missing = [k for k in keys if body.get(k) in (None, "")]
    if missing:
        raise ControlError(f"missing: {', '.join(missing)}")
    return [body[k] for k in keys]


def account_summary(state: EmulatorState, account: Account) -> dict[str, Any]:
    return {
        "id": account.id,
        "subdomain": account.subdomain,
        "name": account.name,
        "base_domain": account.base_domain,
        "timezone": account.timezone,
        "domain": account.domain,
        "api_domain": account.api_domain,
        "referer": account.domain,
        "created_at": account.created_at,
        "admin_user_id": account.admin_user_id,
        "main_pipeline_id": account.main_pipeline.id,
        "users": sorted(account.users),
        "installs": {cid: inst.active for cid, inst in account.installs.items()},
        "limits": account.limits.as_dict(),
        "counts": {
            "leads": len(account.leads),
            "contacts": len(account.contacts),
            "companies": len(account.companies),
            "notes": len(account.notes),
            "events": len(account.events),
        },
    }


# --- global ------------------------------------------------------------------------------------


def reset(request: Request, state: EmulatorState, body: Body, _: Account | None) -> Any:
    state.reset()
    return {"ok": True}


def health(request: Request, state: EmulatorState, body: Body, _: Account | None) -> Any:
    return {"ok": True, "accounts": len(state.accounts), "server_time": state.clock.now_int()}


def demo_ids(request: Request, state: EmulatorState, body: Body, _: Account | None) -> Any:
    return DEMO_IDS


def add_integration(request: Request, state: EmulatorState, body: Body, _: Account | None) -> Any:
    client_id, secret, redirect = _require(body, "client_id", "client_secret", "redirect_uri")
    state.integrations[client_id] = Integration(client_id, secret, redirect, body.get("name", ""))
    return {"client_id": client_id, "redirect_uri": redirect}


def list_integrations(request: Request, state: EmulatorState, body: Body, _: Account | None) -> Any:
    return [
        {"client_id": i.client_id, "redirect_uri": i.redirect_uri, "name": i.name} for i in state.integrations.values()
    ]


def clock(request: Request, state: EmulatorState, body: Body, _: Account | None) -> Any:
    if "advance_seconds" in body:
        state.clock.advance(float(body["advance_seconds"]))
    return {"now": state.clock.now(), "offset": state.clock.offset}


# --- accounts ----------------------------------------------------------------------------------


def create_account(request: Request, state: EmulatorState, body: Body, _: Account | None) -> Any:
    (subdomain,) = _require(body, "subdomain")
    if body.get("demo"):
        account = create_demo_account(state, body.get("id"), subdomain, body.get("name") or "АвисКлауд (демо)")
    else:
        account = new_account(state, subdomain, body.get("id"), body.get("name"), body.get("base_domain", "amocrm.ru"))
        seed_minimal(account)
    if body.get("base_domain"):
        account.base_domain = body["base_domain"]
    if body.get("timezone"):
        account.timezone = _zone(body["timezone"])
    if body.get("limits"):
        account.limits.update(body["limits"])
    return account_summary(state, account)


def _zone(name: Any) -> str:
    from zoneinfo import ZoneInfo

    try:
        ZoneInfo(str(name))
    except (ValueError, KeyError, OSError) as err:
        raise ControlError(f"unknown time zone {name!r}") from err
    return str(name)


def set_timezone(request: Request, state: EmulatorState, body: Body, account: Account | None) -> Any:
    """An admin changes the account's time zone in amoCRM's settings."""
    assert account is not None
    (zone,) = _require(body, "timezone")
    account.timezone = _zone(zone)
    return account_summary(state, account)


def list_accounts(request: Request, state: EmulatorState, body: Body, _: Account | None) -> Any:
    return [account_summary(state, a) for a in state.accounts.values()]


def get_account(request: Request, state: EmulatorState, body: Body, account: Account | None) -> Any:
    assert account is not None
    return account_summary(state, account)


def rename(request: Request, state: EmulatorState, body: Body, account: Account | None) -> Any:
    """The account's subdomain changes (an admin renamed it): from now on only the new host answers."""
    assert account is not None
    (subdomain,) = _require(body, "subdomain")
    subdomain = str(subdomain).strip().lower()
    other = state.account_by_subdomain(subdomain)
    if other is not None and other is not account:
        raise ControlError(f"subdomain {subdomain!r} is taken")
    account.subdomain = subdomain
    return account_summary(state, account)


def install(request: Request, state: EmulatorState, body: Body, account: Account | None) -> Any:
    assert account is not None
    (client_id,) = _require(body, "client_id")
    code = oauth.install(state, account, client_id, body.get("user_id"))
    integration = state.integrations[client_id]
    query = f"code={code.code}&referer={account.domain}&client_id={client_id}&from_widget=1"
    if body.get("state"):
        query += f"&state={body['state']}"
    return {
        "code": code.code,
        "referer": account.domain,
        "client_id": client_id,
        "state": body.get("state"),
        "from_widget": 1,
        "user_id": code.user_id,
        "redirect_url": f"{integration.redirect_uri}?{query}",
    }


def uninstall(request: Request, state: EmulatorState, body: Body, account: Account | None) -> Any:
    assert account is not None
    (client_id,) = _require(body, "client_id")
    return {"revoked": oauth.uninstall(state, account, client_id)}


def expire_tokens(request: Request, state: EmulatorState, body: Body, account: Account | None) -> Any:
    assert account is not None
    return {"expired": oauth.expire_access_tokens(state, account)}


def issue_tokens(request: Request, state: EmulatorState, body: Body, account: Account | None) -> Any:
    """A token pair without the code dance (the integration counts as installed)."""
    assert account is not None
    (client_id,) = _require(body, "client_id")
    if client_id not in state.integrations:
        raise ControlError(f"integration {client_id!r} is not registered")
    user_id = body.get("user_id") or account.admin_user_id
    if user_id not in account.users:
        raise ControlError(f"user {user_id} does not exist")
    oauth.install(state, account, client_id, user_id)
    pair = oauth.issue_pair(state, account, client_id, user_id)
    return {
        **oauth.token_body(state, pair),
        "account_id": account.id,
        "user_id": user_id,
        "referer": account.domain,
    }


def seed(request: Request, state: EmulatorState, body: Body, account: Account | None) -> Any:
    assert account is not None
    return apply_seed(account, body, state.clock.now_int())


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _lead_snapshot(account: Account, lead_id: int, base: str) -> dict[str, Any]:
    lead = account.leads[lead_id]
    data = ser.lead_to_api(account, lead, base, ALL_WITH)
    data["links"] = [ser.link_to_api(ln) for ln in account.links_of(lead_id)]
    data["notes"] = [ser.note_to_api(account, n, base) for n in account.notes.values() if n.entity_id == lead_id]
    return data


def snapshot(request: Request, state: EmulatorState, body: Body, account: Account | None) -> Any:
    assert account is not None
    base = _base(request)
    return {
        "account": account_summary(state, account),
        "pipelines": [ser.pipeline_to_api(account, p, base) for p in account.pipelines.values()],
        "users": [ser.user_to_api(account, u, base, {"role", "group"}) for u in account.users.values()],
        "custom_fields": [ser.field_to_api(account, f, base) for f in account.custom_fields.values()],
        "catalogs": [ser.catalog_to_api(account, c, base) for c in account.catalogs.values()],
        "catalog_elements": [ser.element_to_api(account, e, base) for e in account.elements.values()],
        "contacts": [ser.contact_to_api(account, c, base, {"leads"}) for c in account.contacts.values()],
        "companies": [ser.company_to_api(account, c, base, {"leads", "contacts"}) for c in account.companies.values()],
        "leads": [_lead_snapshot(account, lead_id, base) for lead_id in sorted(account.leads)],
        "notes": [ser.note_to_api(account, n, base) for n in account.notes.values()],
        "events": [ser.event_to_api(account, e, base) for e in account.events],
        "tags": [{"id": t.id, "name": t.name, "color": t.color} for t in account.tags.values()],
    }


def _lead_id(request: Request, account: Account) -> int:
    lead_id = int(request.path_params["lead_id"])
    if lead_id not in account.leads:
        raise ControlError("lead not found", 404)
    return lead_id


def lead_snapshot(request: Request, state: EmulatorState, body: Body, account: Account | None) -> Any:
    assert account is not None
    return _lead_snapshot(account, _lead_id(request, account), _base(request))


def delete_lead(request: Request, state: EmulatorState, body: Body, account: Account | None) -> Any:
    """Soft-delete, as amoCRM's recycle bin does: the lead answers only ``with=only_deleted``."""
    assert account is not None
    lead = account.leads[_lead_id(request, account)]
    lead.is_deleted = True
    lead.updated_at = state.clock.now_int()
    return {"id": lead.id, "is_deleted": True}


def delete_field(request: Request, state: EmulatorState, body: Body, account: Account | None) -> Any:
    """Deleting a field drops its values everywhere (it simply stops being reported)."""
    assert account is not None
    field_id = int(request.path_params["field_id"])
    if account.custom_fields.pop(field_id, None) is None:
        raise ControlError("field not found", 404)
    return {"id": field_id, "deleted": True}


def field_values(request: Request, state: EmulatorState, body: Body, account: Account | None) -> Any:
    """Raw ``custom_fields_values`` of a lead, handy for copy assertions."""
    assert account is not None
    return values_to_api(account, account.leads[_lead_id(request, account)].fields) or []


def requests(request: Request, state: EmulatorState, body: Body, account: Account | None) -> Any:
    assert account is not None
    if request.method == "DELETE":
        account.log.clear()
        return {"ok": True}
    return account.log.since(to_int(request.query_params.get("since")) or 0)


def stats(request: Request, state: EmulatorState, body: Body, account: Account | None) -> Any:
    assert account is not None
    return account.log.stats()


def faults(request: Request, state: EmulatorState, body: Body, account: Account | None) -> Any:
    assert account is not None
    if request.method == "DELETE":
        account.faults.clear()
    elif request.method == "POST":
        account.faults.add(body)
    return account.faults.describe()


def limits(request: Request, state: EmulatorState, body: Body, account: Account | None) -> Any:
    assert account is not None
    if request.method == "PUT":
        changes = {k: v for k, v in body.items() if k != "unblock"}
        account.limits.update(changes)
        if body.get("unblock"):
            account.limiter.unblock()
    return {**account.limits.as_dict(), "blocked_until": account.limiter.blocked_until or None}


def dp_triggers(request: Request, state: EmulatorState, body: Body, account: Account | None) -> Any:
    """Digital Pipeline widget actions of the account (what an admin sets up in amoCRM's DP editor)."""
    assert account is not None
    if request.method == "DELETE":
        account.dp.clear()
    elif request.method == "POST":
        account.dp.add(body)
    elif request.method == "PATCH":
        try:
            account.dp.update(int(request.path_params["trigger_id"]), body)
        except StopIteration as err:
            raise ControlError("trigger not found", 404) from err
    return [t.describe() for t in account.dp.triggers]


def dp_hooks(request: Request, state: EmulatorState, body: Body, account: Account | None) -> Any:
    """Hooks the triggers sent or lost: `{trigger_id, lead_id, time, dropped, status_code?, error?, done?}`."""
    assert account is not None
    return list(account.dp.hooks)


def move_lead(request: Request, state: EmulatorState, body: Body, account: Account | None) -> Any:
    """Move a lead to a stage as a user would (records the event, fires DP triggers); test plumbing."""
    from .lead_writer import update_lead, validate_item

    assert account is not None
    lead = account.leads[_lead_id(request, account)]
    item = {k: body[k] for k in ("pipeline_id", "status_id", "responsible_user_id") if k in body}
    draft, errors = validate_item(account, item, 0, current=lead)
    if draft is None:
        raise ControlError(f"cannot move the lead: {errors.errors}")
    user = int(body.get("user_id") or account.admin_user_id)
    update_lead(account, draft, user, state.clock.now_int())
    return _lead_snapshot(account, lead.id, _base(request))


_A = "/accounts/{account_id:int}"
ROUTES = [
    _route("/reset", reset, ["POST"]),
    _route("/health", health, ["GET"]),
    _route("/demo", demo_ids, ["GET"]),
    _route("/integrations", add_integration, ["POST"]),
    _route("/integrations", list_integrations, ["GET"]),
    _route("/clock", clock, ["GET", "POST"]),
    _route("/accounts", create_account, ["POST"]),
    _route("/accounts", list_accounts, ["GET"]),
    _route(_A, get_account, ["GET"]),
    _route(f"{_A}/rename", rename, ["POST"]),
    _route(f"{_A}/timezone", set_timezone, ["POST"]),
    _route(f"{_A}/install", install, ["POST"]),
    _route(f"{_A}/uninstall", uninstall, ["POST"]),
    _route(f"{_A}/tokens/expire", expire_tokens, ["POST"]),
    _route(f"{_A}/tokens", issue_tokens, ["POST"]),
    _route(f"{_A}/seed", seed, ["POST"]),
    _route(f"{_A}/state", snapshot, ["GET"]),
    _route(f"{_A}/leads/{{lead_id:int}}", lead_snapshot, ["GET"]),
    _route(f"{_A}/leads/{{lead_id:int}}", delete_lead, ["DELETE"]),
    _route(f"{_A}/leads/{{lead_id:int}}/custom_fields_values", field_values, ["GET"]),
    _route(f"{_A}/custom_fields/{{field_id:int}}", delete_field, ["DELETE"]),
    _route(f"{_A}/requests", requests, ["GET", "DELETE"]),
    _route(f"{_A}/stats", stats, ["GET"]),
    _route(f"{_A}/faults", faults, ["GET", "POST", "DELETE"]),
    _route(f"{_A}/limits", limits, ["GET", "PUT"]),
    _route(f"{_A}/dp/triggers", dp_triggers, ["GET", "POST", "DELETE"]),
    _route(f"{_A}/dp/triggers/{{trigger_id:int}}", dp_triggers, ["PATCH"]),
    _route(f"{_A}/dp/hooks", dp_hooks, ["GET"]),
    _route(f"{_A}/leads/{{lead_id:int}}/move", move_lead, ["POST"]),
]
