"""Validating and applying lead writes (``POST``/``PATCH /api/v4/leads``).

amoCRM validates a whole batch before writing anything, so validation builds a
``LeadDraft`` per item and the caller applies the drafts only when no item failed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import events
from .custom_fields import apply_values, normalize_values
from .links import add_link
from .problems import ItemErrors
from .state import (
    INCOMING_TYPE,
    LOST_STATUS_ID,
    WON_STATUS_ID,
    Account,
    Lead,
    Link,
    Pipeline,
    Tag,
)

_INT_KEYS = (
    "status_id",
    "pipeline_id",
    "responsible_user_id",
    "created_by",
    "updated_by",
    "created_at",
    "updated_at",
    "closed_at",
    "loss_reason_id",
    "labor_cost",
)
# `price` may be fractional (the SDK sends a float since 2026, facts: Custom fields); `visitor_uid`
# and `_embedded.source` are the SDK's create extras.
CREATE_KEYS = frozenset(
    {"name", "price", "visitor_uid", "custom_fields_values", "tags_to_add", "_embedded", "request_id", *_INT_KEYS}
)
UPDATE_KEYS = frozenset(
    {
        "id",
        "name",
        "price",
        "custom_fields_values",
        "tags_to_add",
        "tags_to_delete",
        "_embedded",
        "request_id",
        *_INT_KEYS,
    }
    - {"created_by", "created_at"}
)
# Only seeding may set these (the control API builds fixtures with them).
SEED_KEYS = frozenset({"score", "source_id", "closest_task_at", "is_price_modified_by_robot"})
CLOSED_STATUSES = (WON_STATUS_ID, LOST_STATUS_ID)


@dataclass
class LeadDraft:
    request_id: str
    lead: Lead | None  # the lead being updated; None when creating
    scalars: dict[str, Any] = field(default_factory=dict)
    fields: dict[int, list[dict[str, Any]] | None] = field(default_factory=dict)
    tags_set: list[dict[str, Any]] | None = None
    tags_add: list[dict[str, Any]] = field(default_factory=list)
    tags_delete: list[dict[str, Any]] = field(default_factory=list)
    contacts: list[dict[str, Any]] = field(default_factory=list)
    companies: list[int] = field(default_factory=list)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _resolve_stage(
    account: Account, item: dict[str, Any], current: Lead | None, errors: ItemErrors
) -> tuple[int, int] | None:
    """(pipeline_id, status_id) the lead ends up in, following amoCRM's defaults."""
    pipeline_id, status_id = item.get("pipeline_id"), item.get("status_id")
    pipeline: Pipeline | None
    if pipeline_id is not None:
        pipeline = account.pipelines.get(pipeline_id)
        if pipeline is None:
            errors.add("pipeline_id")
            return None
    elif current is not None and status_id is not None:
        pipeline = account.pipelines.get(current.pipeline_id)
    elif current is not None:
        return current.pipeline_id, current.status_id
    else:
        pipeline = account.main_pipeline  # no pipeline given: amoCRM uses the main one
    assert pipeline is not None
    if status_id is None:
        if current is not None and current.pipeline_id == pipeline.id:
            return pipeline.id, current.status_id
        return pipeline.id, pipeline.first_stage().id
    status = pipeline.status(status_id)
    # Leads enter "incoming" only through the unsorted API, never through /leads.
    if status is None or status.type == INCOMING_TYPE:
        errors.add("status_id")
        return None
    return pipeline.id, status.id


def _tag_refs(account: Account, raw: Any, path: str, errors: ItemErrors) -> list[dict[str, Any]]:
    if not isinstance(raw, list):
        errors.invalid_type(path, "array")
        return []
    refs = []
    for k, tag in enumerate(raw):
        if not isinstance(tag, dict) or not ({"id", "name"} & tag.keys()):
            errors.add(f"{path}.{k}", "FieldMissing")
        elif tag.get("id") is not None and tag["id"] not in account.tags:
            errors.add(f"{path}.{k}.id")
        elif tag.get("id") is None and not isinstance(tag.get("name"), str):
            errors.invalid_type(f"{path}.{k}.name", "string")
        else:
            refs.append(tag)
    return refs


def _embedded(account: Account, raw: Any, draft: LeadDraft, creating: bool, errors: ItemErrors) -> None:
    if not isinstance(raw, dict):
        errors.invalid_type("_embedded", "array")
        return
    allowed = {"tags", "contacts", "companies", "source"} if creating else {"tags"}
    for key in raw:
        if key not in allowed:
            errors.add(f"_embedded.{key}", "FieldNotExpected")
    source = raw.get("source")
    if source is not None and not (isinstance(source, dict) and isinstance(source.get("external_id"), (str, int))):
        errors.invalid_type("_embedded.source", "array")  # the SDK: {"type": "widget", "external_id": ...}
    if "tags" in raw:
        draft.tags_set = _tag_refs(account, raw["tags"], "_embedded.tags", errors)
    for k, contact in enumerate(raw.get("contacts") or []):
        cid = contact.get("id") if isinstance(contact, dict) else None
        if cid not in account.contacts or account.contacts[cid].is_deleted:
            errors.add(f"_embedded.contacts.{k}.id")
        else:
            draft.contacts.append({"id": cid, "is_main": bool(contact.get("is_main"))})
    for k, company in enumerate(raw.get("companies") or []):
        cid = company.get("id") if isinstance(company, dict) else None
        if cid not in account.companies or account.companies[cid].is_deleted:
            errors.add(f"_embedded.companies.{k}.id")
        else:
            draft.companies.append(cid)


def validate_item(
    account: Account, item: Any, index: int, *, current: Lead | None = None, seeding: bool = False
) -> tuple[LeadDraft | None, ItemErrors]:
    """Check one lead of a batch.  ``current`` is set for updates."""
    request_id = str(item.get("request_id", index)) if isinstance(item, dict) else str(index)
    errors = ItemErrors(request_id)
    if not isinstance(item, dict):
        errors.invalid_type("", "array")
        return None, errors
    allowed = (UPDATE_KEYS if current is not None else CREATE_KEYS) | (SEED_KEYS if seeding else set())
    for key in item:
        if key not in allowed:
            errors.add(key, "FieldNotExpected")
    draft = LeadDraft(request_id=request_id, lead=current)
    if "name" in item:
        if isinstance(item["name"], str):
            draft.scalars["name"] = item["name"]
        else:
            errors.invalid_type("name", "string")
    for key in _INT_KEYS:
        if key in item and item[key] is not None and not _is_int(item[key]):
            errors.invalid_type(key, "int")
    if item.get("price") is not None and not _is_number(item["price"]):
        errors.invalid_type("price", "numeric")
    if item.get("visitor_uid") is not None and not isinstance(item["visitor_uid"], str):
        errors.invalid_type("visitor_uid", "string")
    if errors:
        return None, errors
    stage = _resolve_stage(account, item, current, errors)
    if stage:
        draft.scalars["pipeline_id"], draft.scalars["status_id"] = stage
    responsible = item.get("responsible_user_id")
    if responsible is not None:
        user = account.users.get(responsible)
        if user is None or (not user.is_active and not seeding):
            errors.add("responsible_user_id")
        else:
            draft.scalars["responsible_user_id"] = responsible
    for key in ("created_by", "updated_by"):
        if item.get(key) not in (None, 0) and item[key] not in account.users:
            errors.add(key)
        elif key in item:
            draft.scalars[key] = item[key]
    reason = item.get("loss_reason_id")
    if reason is not None and reason not in account.loss_reasons:
        errors.add("loss_reason_id")
    elif reason is not None and draft.scalars.get("status_id") == LOST_STATUS_ID:
        draft.scalars["loss_reason_id"] = reason  # ignored outside "lost", as amoCRM does
    for key in ("price", "created_at", "updated_at", "closed_at", "labor_cost", *SEED_KEYS):
        if key in item:
            draft.scalars[key] = item[key]
    draft.fields = normalize_values(account, "leads", item.get("custom_fields_values"), errors, allow_read_only=seeding)
    if "tags_to_add" in item:
        draft.tags_add = _tag_refs(account, item["tags_to_add"], "tags_to_add", errors)
    if "tags_to_delete" in item:
        draft.tags_delete = _tag_refs(account, item["tags_to_delete"], "tags_to_delete", errors)
    if "_embedded" in item:
        _embedded(account, item["_embedded"], draft, current is None, errors)
    return (None if errors else draft), errors


def _tag_ids(account: Account, refs: list[dict[str, Any]], create: bool) -> list[int]:
    ids = []
    for ref in refs:
        if ref.get("id") is not None:
            ids.append(ref["id"])
            continue
        tag = next((t for t in account.tags.values() if t.name == ref["name"]), None)
        if tag is None and create:
            tag = Tag(id=account.ids.claim("tag"), name=ref["name"], color=ref.get("color"))
            account.tags[tag.id] = tag
        if tag is not None:
            ids.append(tag.id)
    return ids


def _apply_tags(account: Account, lead: Lead, draft: LeadDraft) -> None:
    tag_ids = list(lead.tag_ids) if draft.tags_set is None else _tag_ids(account, draft.tags_set, True)
    for tag_id in _tag_ids(account, draft.tags_add, True):
        if tag_id not in tag_ids:
            tag_ids.append(tag_id)
    removed = set(_tag_ids(account, draft.tags_delete, False))
    lead.tag_ids = [t for t in dict.fromkeys(tag_ids) if t not in removed]


def create_lead(account: Account, draft: LeadDraft, user_id: int, now: int, wanted_id: int | None = None) -> Lead:
    s = draft.scalars
    lead_id = account.ids.claim("lead", wanted_id)
    responsible = s.get("responsible_user_id", user_id)
    created_at = s.get("created_at") or now
    lead = Lead(
        id=lead_id,
        name=s.get("name") or f"Сделка #{lead_id}",
        price=s.get("price") or 0,
        responsible_user_id=responsible,
        group_id=account.users[responsible].rights.get("group_id") or 0,
        status_id=s["status_id"],
        pipeline_id=s["pipeline_id"],
        created_by=s.get("created_by", user_id),
        updated_by=s.get("updated_by", s.get("created_by", user_id)),
        created_at=created_at,
        updated_at=s.get("updated_at") or created_at,
        closed_at=s.get("closed_at") or (now if s["status_id"] in CLOSED_STATUSES else None),
        loss_reason_id=s.get("loss_reason_id"),
        labor_cost=s.get("labor_cost"),
        score=s.get("score"),
        source_id=s.get("source_id"),
        closest_task_at=s.get("closest_task_at"),
        is_price_modified_by_robot=bool(s.get("is_price_modified_by_robot")),
    )
    apply_values(lead.fields, draft.fields)
    _apply_tags(account, lead, draft)
    account.leads[lead.id] = lead
    for contact in draft.contacts:
        add_link(account, Link(lead.id, contact["id"], "contacts", {"is_main": contact["is_main"]}))
    for company_id in draft.companies:
        add_link(account, Link(lead.id, company_id, "companies", {}))
    events.record(account, "lead_added", "lead", lead.id, lead.created_by, created_at, events.lead_status_value(lead))
    return lead


def update_lead(account: Account, draft: LeadDraft, user_id: int, now: int) -> Lead:
    lead = draft.lead
    assert lead is not None
    s = draft.scalars
    before_status = events.lead_status_value(lead)
    old_responsible = lead.responsible_user_id
    for key in ("name", "price", "loss_reason_id", "labor_cost", "closed_at"):
        if key in s:
            setattr(lead, key, s[key])
    if "responsible_user_id" in s:
        lead.responsible_user_id = s["responsible_user_id"]
        lead.group_id = account.users[lead.responsible_user_id].rights.get("group_id") or 0
    status_changed = (s["pipeline_id"], s["status_id"]) != (lead.pipeline_id, lead.status_id)
    lead.pipeline_id, lead.status_id = s["pipeline_id"], s["status_id"]
    if status_changed and "closed_at" not in s:
        lead.closed_at = now if lead.status_id in CLOSED_STATUSES else None
    if lead.status_id != LOST_STATUS_ID:
        lead.loss_reason_id = None
    apply_values(lead.fields, draft.fields)
    _apply_tags(account, lead, draft)
    author = s.get("updated_by", user_id)
    lead.updated_by = author
    lead.updated_at = s.get("updated_at") or now
    if status_changed:
        events.record(
            account,
            "lead_status_changed",
            "lead",
            lead.id,
            author,
            now,
            events.lead_status_value(lead),
            before_status,
        )
    if lead.responsible_user_id != old_responsible:
        events.record(
            account,
            "entity_responsible_changed",
            "lead",
            lead.id,
            author,
            now,
            [{"responsible_user": {"id": lead.responsible_user_id}}],
            [{"responsible_user": {"id": old_responsible}}],
        )
    return lead
