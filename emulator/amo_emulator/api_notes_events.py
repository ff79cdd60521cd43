"""Lead notes (``/api/v4/leads/notes``, ``/leads/{id}/notes``) and ``/api/v4/events``."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from . import events
from . import serialize as ser
from .api_account import single
from .gateway import ApiContext
from .paging import collection
from .problems import ItemErrors, hal, not_found, validation_failed
from .query import as_int_list, as_list, time_range
from .state import Note

# note_type -> params keys that must be non-empty strings.
REQUIRED_PARAMS = {
    "common": ("text",),
    "service_message": ("service", "text"),
    "extended_service_message": ("service", "text"),
}
NOTE_TYPES = (
    *REQUIRED_PARAMS,
    "call_in",
    "call_out",
    "sms_in",
    "sms_out",
    "geolocation",
    "message_cashier",
    "invoice_paid",
    "attachment",
)
_NOTE_KEYS = {
    "entity_id",
    "note_type",
    "params",
    "created_by",
    "responsible_user_id",
    "request_id",
    "created_at",
    # the SDK's NoteModel::toApi also sends these (facts: Custom fields, C via SDK)
    "updated_by",
    "updated_at",
    "is_need_to_trigger_digital_pipeline",
}
_NOTE_EVENTS = {
    "common": "common_note_added",
    "service_message": "service_note_added",
    "extended_service_message": "service_note_added",
}


def _check_note(ctx: ApiContext, item: Any, index: int, fixed_lead: int | None) -> ItemErrors:
    errors = ItemErrors(str(item.get("request_id", index)) if isinstance(item, dict) else str(index))
    if not isinstance(item, dict):
        errors.invalid_type("", "array")
        return errors
    for key in item:
        if key not in _NOTE_KEYS:
            errors.add(key, "FieldNotExpected")
    lead_id = fixed_lead if fixed_lead is not None else item.get("entity_id")
    if fixed_lead is None and ctx.account.active_lead(lead_id) is None:
        errors.add("entity_id")
    note_type, params = item.get("note_type"), item.get("params")
    if note_type not in NOTE_TYPES:
        errors.add("note_type")
        return errors
    if not isinstance(params, dict):
        errors.invalid_type("params", "array")
        return errors
    for key in REQUIRED_PARAMS.get(note_type, ()):
        if not isinstance(params.get(key), str) or not params[key]:
            errors.add(f"params.{key}", "NotBlank")
    for key in ("created_by", "updated_by", "responsible_user_id"):
        if item.get(key) not in (None, 0) and item[key] not in ctx.account.users:
            errors.add(key)
    trigger = item.get("is_need_to_trigger_digital_pipeline")
    if trigger is not None and not isinstance(trigger, bool):
        errors.invalid_type("is_need_to_trigger_digital_pipeline", "bool")
    return errors


def _create_notes(ctx: ApiContext, fixed_lead: int | None) -> Response:
    if fixed_lead is not None and ctx.account.active_lead(fixed_lead) is None:
        return not_found("Lead not found")
    items = ctx.body
    if not isinstance(items, list) or not items:
        errors = ItemErrors("0")
        errors.invalid_type("", "array")
        return validation_failed([errors])
    checked = [_check_note(ctx, item, i, fixed_lead) for i, item in enumerate(items)]
    if any(checked):
        return validation_failed(checked)
    now, acc, out = ctx.now, ctx.account, []
    for item, errors in zip(items, checked, strict=True):
        author = item.get("created_by", ctx.user_id)
        note = Note(
            id=acc.ids.claim("note"),
            entity_type="leads",
            entity_id=fixed_lead if fixed_lead is not None else item["entity_id"],
            note_type=item["note_type"],
            params=dict(item["params"]),
            created_by=author,
            updated_by=item.get("updated_by") or author,
            responsible_user_id=item.get("responsible_user_id", author),
            created_at=item.get("created_at") or now,
            updated_at=now,
        )
        acc.notes[note.id] = note
        if note.note_type in _NOTE_EVENTS:
            events.record(
                acc,
                _NOTE_EVENTS[note.note_type],
                "lead",
                note.entity_id,
                author,
                now,
                [{"note": {"id": note.id}}],
            )
        out.append(
            {
                "id": note.id,
                "entity_id": note.entity_id,
                "request_id": errors.request_id,
                "_links": ser.self_link(ctx.base, f"/leads/{note.entity_id}/notes/{note.id}"),
            }
        )
    return hal({"_links": {"self": {"href": str(ctx.request.url)}}, "_embedded": {"notes": out}})


def _list_notes(ctx: ApiContext, lead_id: int | None) -> Response:
    page = ctx.page()
    if isinstance(page, Response):
        return page
    flt = ctx.filter
    ids = set(as_int_list(flt.get("id")))
    entity_ids = {lead_id} if lead_id is not None else set(as_int_list(flt.get("entity_id")))
    types = set(as_list(flt.get("note_type"), split_commas=True))
    lo, hi = time_range(flt.get("updated_at")) if "updated_at" in flt else (None, None)
    notes = [
        n
        for n in ctx.account.notes.values()
        if n.entity_type == "leads"
        and (not ids or n.id in ids)
        and (not entity_ids or n.entity_id in entity_ids)
        and (not types or n.note_type in types)
        and (lo is None or n.updated_at >= lo)
        and (hi is None or n.updated_at <= hi)
    ]
    order = ctx.query.get("order") if isinstance(ctx.query.get("order"), dict) else {}
    by_update = "updated_at" in order
    notes.sort(key=lambda n: (n.updated_at if by_update else 0, n.id), reverse="desc" in order.values())
    return collection(ctx.request, "notes", notes, lambda n: ser.note_to_api(ctx.account, n, ctx.base), page)


def create_notes_batch(ctx: ApiContext) -> Response:
    return _create_notes(ctx, None)


def create_lead_notes(ctx: ApiContext) -> Response:
    return _create_notes(ctx, ctx.path_int("id"))


def list_notes(ctx: ApiContext) -> Response:
    return _list_notes(ctx, None)


def list_lead_notes(ctx: ApiContext) -> Response:
    return _list_notes(ctx, ctx.path_int("id"))


def get_lead_note(ctx: ApiContext) -> Response:
    note = ctx.account.notes.get(ctx.path_int("note_id"))
    if note is not None and note.entity_id != ctx.path_int("id"):
        note = None
    return single(note, lambda n: ser.note_to_api(ctx.account, n, ctx.base))


def list_events(ctx: ApiContext) -> Response:
    page = ctx.page(max_limit=100, default_limit=100)
    if isinstance(page, Response):
        return page
    found = events.filter_events(ctx.account, ctx.filter)
    return collection(ctx.request, "events", found, lambda e: ser.event_to_api(ctx.account, e, ctx.base), page)


def get_event(ctx: ApiContext) -> Response:
    event_id = ctx.request.path_params["event_id"]
    event = next((e for e in ctx.account.events if e.id == event_id), None)
    return single(event, lambda e: ser.event_to_api(ctx.account, e, ctx.base))


ROUTES = [
    ("/api/v4/leads/notes", ["GET"], list_notes),
    ("/api/v4/leads/notes", ["POST"], create_notes_batch),
    ("/api/v4/leads/{id:int}/notes", ["GET"], list_lead_notes),
    ("/api/v4/leads/{id:int}/notes", ["POST"], create_lead_notes),
    ("/api/v4/leads/{id:int}/notes/{note_id:int}", ["GET"], get_lead_note),
    ("/api/v4/events", ["GET"], list_events),
    ("/api/v4/events/{event_id}", ["GET"], get_event),
]
