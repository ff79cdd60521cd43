"""Links of leads to contacts, companies and catalog elements, with amoCRM's rules.

A lead has at most one company and exactly one main contact once it has contacts;
linking an already linked catalog element updates its quantity/price.
"""

from __future__ import annotations

from typing import Any

from .problems import ItemErrors
from .state import Account, Link

LINKABLE_TYPES = ("contacts", "companies", "catalog_elements")
_META_KEYS = {
    "contacts": {"is_main", "updated_by"},
    "companies": {"updated_by"},
    "catalog_elements": {"quantity", "catalog_id", "price_id", "updated_by"},
}


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def validate_link(account: Account, lead_id: int, item: Any, errors: ItemErrors, batch: bool = False) -> Link | None:
    """One element of a ``/link`` body; returns the link to add or records errors."""
    if not isinstance(item, dict):
        errors.invalid_type("", "array")
        return None
    # `updated_by` beside `metadata` too: the SDK's link extras (U where exactly it puts it)
    allowed = {"to_entity_id", "to_entity_type", "metadata", "updated_by"} | (
        {"entity_id", "entity_type"} if batch else set()
    )
    for key in item:
        if key not in allowed:
            errors.add(key, "FieldNotExpected")
    to_type, to_id, meta = item.get("to_entity_type"), item.get("to_entity_id"), item.get("metadata")
    if to_type not in LINKABLE_TYPES:
        errors.add("to_entity_type")
        return None
    if not isinstance(to_id, int) or isinstance(to_id, bool):
        errors.invalid_type("to_entity_id", "int")
        return None
    if meta is not None and not isinstance(meta, dict):
        errors.invalid_type("metadata", "array")
        return None
    author = item.get("updated_by", (meta or {}).get("updated_by") if isinstance(meta, dict) else None)
    if author not in (None, 0) and author not in account.users:
        errors.add("updated_by")
    meta = dict(meta or {})
    for key in meta:
        if key not in _META_KEYS[to_type]:
            errors.add(f"metadata.{key}", "FieldNotExpected")
    if to_type == "contacts":
        contact = account.contacts.get(to_id)
        if contact is None or contact.is_deleted:
            errors.add("to_entity_id")
        if "is_main" in meta and not isinstance(meta["is_main"], bool):
            errors.invalid_type("metadata.is_main", "bool")
        metadata: dict[str, Any] = {"is_main": bool(meta.get("is_main"))}
    elif to_type == "companies":
        company = account.companies.get(to_id)
        if company is None or company.is_deleted:
            errors.add("to_entity_id")
        metadata = {}
    else:
        metadata = _catalog_metadata(account, to_id, meta, errors)
    if errors:
        return None
    return Link(entity_id=lead_id, to_entity_id=to_id, to_entity_type=to_type, metadata=metadata)


def _catalog_metadata(account: Account, element_id: int, meta: dict[str, Any], errors: ItemErrors) -> dict[str, Any]:
    catalog_id = meta.get("catalog_id")
    if catalog_id is None:
        errors.add("metadata.catalog_id", "FieldMissing")
        return {}
    if catalog_id not in account.catalogs:
        errors.add("metadata.catalog_id")
        return {}
    element = account.elements.get(element_id)
    if element is None or element.catalog_id != catalog_id or element.is_deleted:
        errors.add("to_entity_id")
    quantity = meta.get("quantity", 1)
    if not _number(quantity) or quantity < 0:
        errors.invalid_type("metadata.quantity", "numeric")
    price_id = meta.get("price_id")
    if price_id is not None:
        price_field = account.custom_fields.get(price_id)
        if price_field is None or price_field.type != "price" or price_field.catalog_id != catalog_id:
            errors.add("metadata.price_id")
    return {"quantity": quantity, "catalog_id": catalog_id, "price_id": price_id}


def add_link(account: Account, link: Link) -> Link:
    """Store a validated link and return the stored one."""
    existing = account.links_of(link.entity_id, link.to_entity_type)
    if link.to_entity_type == "companies":
        for old in existing:
            account.links.remove(old)  # a lead has one company: the new one replaces it
        existing = []
    same = next((ln for ln in existing if ln.to_entity_id == link.to_entity_id), None)
    if link.to_entity_type == "contacts":
        has_main = any((ln.metadata or {}).get("is_main") for ln in existing if ln is not same)
        wants_main = bool((link.metadata or {}).get("is_main"))
        if wants_main:
            for ln in existing:
                ln.metadata = {"is_main": False}
        link.metadata = {"is_main": wants_main or not has_main}
    if same is not None:
        same.metadata = link.metadata
        return same
    account.links.append(link)
    return link


def remove_link(account: Account, lead_id: int, to_type: str, to_id: int) -> bool:
    found = [ln for ln in account.links_of(lead_id, to_type) if ln.to_entity_id == to_id]
    for ln in found:
        account.links.remove(ln)
    if to_type == "contacts" and found and (found[0].metadata or {}).get("is_main"):
        rest = account.links_of(lead_id, "contacts")
        if rest:
            rest[0].metadata = {"is_main": True}
    return bool(found)
