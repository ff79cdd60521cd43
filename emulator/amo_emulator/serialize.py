"""Entities in the shapes amoCRM API v4 returns (HAL: ``_links``, ``_embedded``).

Shared by the API handlers and the control API's snapshots, so assertions see
exactly what a client sees.
"""

from __future__ import annotations

from typing import Any

from .custom_fields import values_to_api
from .state import (
    INCOMING_TYPE,
    Account,
    Catalog,
    CatalogElement,
    Company,
    Contact,
    CustomField,
    Event,
    Lead,
    Link,
    Note,
    Pipeline,
    Role,
    Status,
    User,
)

API = "/api/v4"


def self_link(base: str, path: str) -> dict[str, Any]:
    return {"self": {"href": f"{base}{API}{path}"}}


def _tags(account: Account, tag_ids: list[int]) -> list[dict[str, Any]]:
    tags = (account.tags[t] for t in tag_ids if t in account.tags)
    return [{"id": t.id, "name": t.name, "color": t.color} for t in tags]


def link_metadata(link: Link) -> dict[str, Any] | None:
    """Contacts answer ``main_contact`` even though they are written with ``is_main``."""
    meta = link.metadata or {}
    if link.to_entity_type == "contacts":
        return {"main_contact": bool(meta.get("is_main"))}
    if link.to_entity_type == "catalog_elements":
        return {
            "quantity": meta.get("quantity"),
            "catalog_id": meta.get("catalog_id"),
            "price_id": meta.get("price_id"),
        }
    return None


def link_to_api(link: Link) -> dict[str, Any]:
    return {
        "entity_id": link.entity_id,
        "entity_type": link.entity_type,
        "to_entity_id": link.to_entity_id,
        "to_entity_type": link.to_entity_type,
        "metadata": link_metadata(link),
    }


def lead_to_api(account: Account, lead: Lead, base: str, with_: set[str] = frozenset()) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": lead.id,
        "name": lead.name,
        "price": lead.price,
        "responsible_user_id": lead.responsible_user_id,
        "group_id": lead.group_id,
        "status_id": lead.status_id,
        "pipeline_id": lead.pipeline_id,
        "loss_reason_id": lead.loss_reason_id,
        "created_by": lead.created_by,
        "updated_by": lead.updated_by,
        "created_at": lead.created_at,
        "updated_at": lead.updated_at,
        "closed_at": lead.closed_at,
        "closest_task_at": lead.closest_task_at,
        "is_deleted": lead.is_deleted,
        "custom_fields_values": values_to_api(account, lead.fields),
        "score": lead.score,
        "account_id": account.id,
        "labor_cost": lead.labor_cost,
    }
    if "source_id" in with_:
        data["source_id"] = lead.source_id
    if "is_price_modified_by_robot" in with_:
        data["is_price_modified_by_robot"] = lead.is_price_modified_by_robot
    data["_links"] = self_link(base, f"/leads/{lead.id}")
    links = account.links_of(lead.id)
    embedded: dict[str, Any] = {
        "tags": _tags(account, lead.tag_ids),
        "companies": [
            {"id": ln.to_entity_id, "_links": self_link(base, f"/companies/{ln.to_entity_id}")}
            for ln in links
            if ln.to_entity_type == "companies"
        ],
    }
    if "contacts" in with_:
        embedded["contacts"] = [
            {
                "id": ln.to_entity_id,
                "is_main": bool((ln.metadata or {}).get("is_main")),
                "_links": self_link(base, f"/contacts/{ln.to_entity_id}"),
            }
            for ln in links
            if ln.to_entity_type == "contacts"
        ]
    if "catalog_elements" in with_:
        embedded["catalog_elements"] = [
            {"id": ln.to_entity_id, "metadata": link_metadata(ln)}
            for ln in links
            if ln.to_entity_type == "catalog_elements"
        ]
    if "loss_reason" in with_:
        reason = account.loss_reasons.get(lead.loss_reason_id) if lead.loss_reason_id else None
        embedded["loss_reason"] = (
            [
                {
                    "id": reason.id,
                    "name": reason.name,
                    "sort": reason.sort,
                    "created_at": reason.created_at,
                    "updated_at": reason.created_at,
                    "_links": self_link(base, f"/leads/loss_reasons/{reason.id}"),
                }
            ]
            if reason
            else []
        )
    data["_embedded"] = embedded
    return data


def contact_to_api(account: Account, contact: Contact, base: str, with_: set[str] = frozenset()) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": contact.id,
        "name": contact.name,
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "responsible_user_id": contact.responsible_user_id,
        "group_id": contact.group_id,
        "created_by": contact.created_by,
        "updated_by": contact.updated_by,
        "created_at": contact.created_at,
        "updated_at": contact.updated_at,
        "closest_task_at": None,
        "is_deleted": contact.is_deleted,
        "is_unsorted": False,
        "custom_fields_values": values_to_api(account, contact.fields),
        "account_id": account.id,
        "_links": self_link(base, f"/contacts/{contact.id}"),
    }
    companies = [contact.company_id] if contact.company_id else []
    embedded: dict[str, Any] = {
        "tags": _tags(account, contact.tag_ids),
        "companies": [{"id": c, "_links": self_link(base, f"/companies/{c}")} for c in companies],
    }
    if "leads" in with_:
        embedded["leads"] = _linked_leads(account, "contacts", contact.id, base)
    data["_embedded"] = embedded
    return data


def company_to_api(account: Account, company: Company, base: str, with_: set[str] = frozenset()) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": company.id,
        "name": company.name,
        "responsible_user_id": company.responsible_user_id,
        "group_id": company.group_id,
        "created_by": company.created_by,
        "updated_by": company.updated_by,
        "created_at": company.created_at,
        "updated_at": company.updated_at,
        "closest_task_at": None,
        "is_deleted": company.is_deleted,
        "custom_fields_values": values_to_api(account, company.fields),
        "account_id": account.id,
        "_links": self_link(base, f"/companies/{company.id}"),
    }
    embedded: dict[str, Any] = {"tags": _tags(account, company.tag_ids)}
    if "contacts" in with_:
        embedded["contacts"] = [
            {"id": c.id, "_links": self_link(base, f"/contacts/{c.id}")}
            for c in account.contacts.values()
            if c.company_id == company.id and not c.is_deleted
        ]
    if "leads" in with_:
        embedded["leads"] = _linked_leads(account, "companies", company.id, base)
    data["_embedded"] = embedded
    return data


def _linked_leads(account: Account, to_type: str, to_id: int, base: str) -> list[dict[str, Any]]:
    ids = sorted({ln.entity_id for ln in account.links if ln.to_entity_type == to_type and ln.to_entity_id == to_id})
    return [{"id": i, "_links": self_link(base, f"/leads/{i}")} for i in ids if account.active_lead(i)]


def status_to_api(account: Account, status: Status, base: str) -> dict[str, Any]:
    return {
        "id": status.id,
        "name": status.name,
        "sort": status.sort,
        "is_editable": status.is_editable,
        "pipeline_id": status.pipeline_id,
        "color": status.color,
        "type": status.type,
        "account_id": account.id,
        "_links": self_link(base, f"/leads/pipelines/{status.pipeline_id}/statuses/{status.id}"),
    }


def pipeline_to_api(account: Account, pipeline: Pipeline, base: str) -> dict[str, Any]:
    return {
        "id": pipeline.id,
        "name": pipeline.name,
        "sort": pipeline.sort,
        "is_main": pipeline.is_main,
        "is_unsorted_on": pipeline.is_unsorted_on,
        "is_archive": pipeline.is_archive,
        "account_id": account.id,
        "_links": self_link(base, f"/leads/pipelines/{pipeline.id}"),
        "_embedded": {
            "statuses": [status_to_api(account, s, base) for s in sorted(pipeline.statuses, key=lambda s: s.sort)]
        },
    }


def status_rights(account: Account, user: User) -> list[dict[str, Any]]:
    """Per-stage lead rights: the user's general lead rights unless overridden for that stage."""
    overrides = {(o["pipeline_id"], o["status_id"]): o["rights"] for o in user.status_rights}
    leads = user.rights.get("leads", {})
    out = []
    for pipeline in sorted(account.pipelines.values(), key=lambda p: (p.sort, p.id)):
        for status in sorted(pipeline.statuses, key=lambda s: s.sort):
            rights = {k: leads.get(k, "A") for k in ("view", "edit", "delete")}
            if status.type != INCOMING_TYPE:
                rights["export"] = leads.get("export", "A")  # incoming stages have no export right
            rights.update(overrides.get((pipeline.id, status.id), {}))
            out.append({"entity_type": "leads", "pipeline_id": pipeline.id, "status_id": status.id, "rights": rights})
    return out


def user_rights(account: Account, user: User) -> dict[str, Any]:
    rights = dict(user.rights)
    rights["status_rights"] = status_rights(account, user)
    order = (
        "leads",
        "contacts",
        "companies",
        "tasks",
        "mail_access",
        "catalog_access",
        "files_access",
        "status_rights",
    )
    return {k: rights[k] for k in order if k in rights} | {k: v for k, v in rights.items() if k not in order}


def user_to_api(account: Account, user: User, base: str, with_: set[str] = frozenset()) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "lang": user.lang,
        "rights": user_rights(account, user),
    }
    if "uuid" in with_:
        data["uuid"] = user.uuid
    if "amojo_id" in with_:
        data["amojo_id"] = user.amojo_id
    data["_links"] = self_link(base, f"/users/{user.id}")
    embedded: dict[str, Any] = {}
    if "role" in with_:
        role = account.roles.get(user.rights.get("role_id"))
        embedded["roles"] = (
            [{"id": role.id, "name": role.name, "_links": self_link(base, f"/roles/{role.id}")}] if role else []
        )
    if "group" in with_:
        group = account.groups.get(user.rights.get("group_id"))
        embedded["groups"] = [{"id": group.id, "name": group.name}] if group else []
    if embedded:
        data["_embedded"] = embedded
    return data


def role_to_api(account: Account, role: Role, base: str) -> dict[str, Any]:
    members = [u.id for u in account.users.values() if u.rights.get("role_id") == role.id]
    return {
        "id": role.id,
        "name": role.name,
        "rights": role.rights,
        "_links": self_link(base, f"/roles/{role.id}"),
        "_embedded": {"users": members},
    }


def field_to_api(account: Account, field: CustomField, base: str) -> dict[str, Any]:
    prefix = f"/catalogs/{field.catalog_id}" if field.entity_type == "catalogs" else f"/{field.entity_type}"
    data: dict[str, Any] = {
        "id": field.id,
        "name": field.name,
        "type": field.type,
        "account_id": account.id,
        "code": field.code,
        "sort": field.sort,
        "is_api_only": field.is_api_only,
        "enums": [{"id": e.id, "value": e.value, "sort": e.sort} for e in field.enums] if field.enums else None,
        "group_id": field.group_id,
        "required_statuses": field.required_statuses,
        "is_deletable": field.is_deletable,
        "is_predefined": field.is_predefined,
        "entity_type": field.entity_type,
        "remind": field.remind,
        "settings": field.settings,
        "nested": field.nested,
        "chained_lists": field.chained_lists,
        "currency": field.currency,
        "hidden_statuses": field.hidden_statuses,
        "_links": self_link(base, f"{prefix}/custom_fields/{field.id}"),
    }
    if field.entity_type == "catalogs":
        data["catalog_id"] = field.catalog_id
    return data


def catalog_to_api(account: Account, catalog: Catalog, base: str) -> dict[str, Any]:
    return {
        "id": catalog.id,
        "name": catalog.name,
        "created_by": catalog.created_by,
        "updated_by": catalog.created_by,
        "created_at": catalog.created_at,
        "updated_at": catalog.created_at,
        "sort": catalog.sort,
        "type": catalog.type,
        "can_add_elements": catalog.can_add_elements,
        "can_show_in_cards": catalog.can_show_in_cards,
        "can_link_multiple": catalog.can_link_multiple,
        "can_be_deleted": catalog.can_be_deleted,
        "sdk_widget_code": None,
        "account_id": account.id,
        "_links": self_link(base, f"/catalogs/{catalog.id}"),
    }


def element_to_api(account: Account, element: CatalogElement, base: str) -> dict[str, Any]:
    return {
        "id": element.id,
        "name": element.name,
        "created_by": element.created_by,
        "updated_by": element.created_by,
        "created_at": element.created_at,
        "updated_at": element.updated_at,
        "is_deleted": element.is_deleted,
        "custom_fields_values": values_to_api(account, element.fields),
        "catalog_id": element.catalog_id,
        "account_id": account.id,
        "_links": self_link(base, f"/catalogs/{element.catalog_id}/elements/{element.id}"),
    }


def note_to_api(account: Account, note: Note, base: str) -> dict[str, Any]:
    return {
        "id": note.id,
        "entity_id": note.entity_id,
        "created_by": note.created_by,
        "updated_by": note.updated_by,
        "created_at": note.created_at,
        "updated_at": note.updated_at,
        "responsible_user_id": note.responsible_user_id,
        "group_id": note.group_id,
        "note_type": note.note_type,
        "params": note.params,
        "account_id": account.id,
        "_links": self_link(base, f"/{note.entity_type}/{note.entity_id}/notes/{note.id}"),
    }


def event_to_api(account: Account, event: Event, base: str) -> dict[str, Any]:
    plural = {"lead": "leads", "contact": "contacts", "company": "companies"}.get(event.entity_type, event.entity_type)
    return {
        "id": event.id,
        "type": event.type,
        "entity_id": event.entity_id,
        "entity_type": event.entity_type,
        "created_by": event.created_by,
        "created_at": event.created_at,
        "value_after": event.value_after,
        "value_before": event.value_before,
        "account_id": account.id,
        "_links": self_link(base, f"/events/{event.id}"),
        "_embedded": {"entity": {"id": event.entity_id, "_links": self_link(base, f"/{plural}/{event.entity_id}")}},
    }
