"""Custom field types: validating and normalizing written values, and echoing them back.

Writes use ``{"field_id"|"field_code", "values": [...]}``; errors follow amoCRM's
Symfony-style codes (``NotSupportedChoice``, ``InvalidType``, ``FieldNotExpected``)
with dotted paths such as ``custom_fields_values.0.values.1.enum_id``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .problems import ItemErrors
from .state import Account, CustomField, FieldValues

FIELD_TYPES = (
    "text",
    "numeric",
    "checkbox",
    "select",
    "multiselect",
    "multitext",
    "date",
    "url",
    "textarea",
    "radiobutton",
    "streetaddress",
    "smart_address",
    "birthday",
    "legal_entity",
    "date_time",
    "items",
    "category",
    "price",
    "tracking_data",
    "linked_entity",
    "org_legal_name",
    "monetary",
    "chained_list",
    "file",
    "payer",
    "supplier",
)

# ---------------------------------------------------------------------------------------------
# Which entity offers which type. Source: the field-type table of the official PHP SDK's README
# (github.com/amocrm/amocrm-api-php, README.md, «Для разных типов полей мы уже подготовили разные
# модели и коллекции», columns Контакт/Сделка/Компания/Покупатель/Каталог) **C (SDK)**. The Kommo
# reference (developers.kommo.com/reference/custom-fields) lists the same types without the split.
# - price, category, items, linked_entity: catalogs only; payer, supplier: the invoices catalog only.
# - tracking_data: leads only; chained_list: leads and customers.
# - multitext: contacts in the table; companies keep their predefined PHONE/EMAIL multitext fields
#   (every account has them), so companies offer it too **U**.
# - org_legal_name: deprecated in the SDK since 2020 (e6836aa) and never written by it; absent from
#   the table. Old accounts may still hold it; the emulator keeps it on companies only **U**.
_EVERYWHERE = frozenset(
    {"text", "numeric", "checkbox", "select", "multiselect", "date", "url", "date_time", "textarea"}
    | {"radiobutton", "streetaddress"}
)
_PEOPLE = frozenset({"smart_address", "birthday", "legal_entity", "monetary", "file"})
_CATALOG = _EVERYWHERE | {"price", "category", "items", "linked_entity"}
OFFERED_TYPES: dict[str, frozenset[str]] = {
    "leads": _EVERYWHERE | _PEOPLE | {"tracking_data", "chained_list"},
    "contacts": _EVERYWHERE | _PEOPLE | {"multitext"},
    "companies": _EVERYWHERE | _PEOPLE | {"multitext", "org_legal_name"},
    "customers": _EVERYWHERE | {"monetary", "file", "chained_list"},
    "catalogs": _CATALOG,
    "invoices": _CATALOG | {"payer", "supplier"},  # the one catalog of type "invoices" («Счета/покупки»)
}


def is_offered(field_type: str, entity_type: str, catalog_type: str | None = None) -> bool:
    """Whether amoCRM lets an account have a field of ``field_type`` on this entity (or catalog type)."""
    key = "invoices" if entity_type == "catalogs" and catalog_type == "invoices" else entity_type
    return field_type in OFFERED_TYPES.get(key, frozenset())


ENUM_TYPES = frozenset({"select", "multiselect", "radiobutton", "category"})
# Types that keep several values; every other type keeps only the first value it is sent.
MULTI_VALUE_TYPES = frozenset({"multiselect", "multitext", "smart_address", "chained_list", "items"})

assert set().union(*OFFERED_TYPES.values()) == set(FIELD_TYPES)

# ---------------------------------------------------------------------------------------------
# ASSUMPTION (unconfirmed, facts file "Custom fields": which types the API refuses is unknown).
# `tracking_data` (UTM_SOURCE...) is written like text (Kommo field reference, C), so it is
# writable; linked_entity (a catalog type) is filled through entity links, and the emulator
# refuses API writes of it.  No lead type is refused, so a field seeded with
# ``"refuses_api_writes": true`` stands in for a lead field amoCRM might refuse.  Seeding through
# the control API may still set either.  This is the only place that decides it.
API_READ_ONLY_TYPES = frozenset({"linked_entity"})
READ_ONLY_DETAIL = "Field is read-only"


def is_api_writable(field: CustomField) -> bool:
    return field.type not in API_READ_ONLY_TYPES and not field.refuses_api_writes


# ---------------------------------------------------------------------------------------------

PHONE_ENUM_CODES = ("WORK", "WORKDD", "MOB", "FAX", "HOME", "OTHER")
EMAIL_ENUM_CODES = ("WORK", "PRIV", "OTHER")
SMART_ADDRESS_PARTS = ("address_line_1", "address_line_2", "city", "state", "zip", "country")

_NUMERIC_STR = re.compile(r"^-?\d+(\.\d+)?$")
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?)?$")
_FIELD_KEYS = frozenset({"field_id", "field_code", "values"})


@dataclass
class _Ctx:
    account: Account
    field: CustomField
    errors: ItemErrors


def _extra_keys(ctx: _Ctx, value: dict[str, Any], allowed: set[str], path: str) -> bool:
    extra = [k for k in value if k not in allowed]
    for key in extra:
        ctx.errors.add(f"{path}.{key}", "FieldNotExpected")
    return not extra


def _required(ctx: _Ctx, value: dict[str, Any], key: str, path: str) -> bool:
    if key not in value or value[key] is None:
        ctx.errors.add(f"{path}.{key}", "FieldMissing")
        return False
    return True


def _is_number(raw: Any) -> bool:
    return (isinstance(raw, (int, float)) and not isinstance(raw, bool)) or (
        isinstance(raw, str) and bool(_NUMERIC_STR.match(raw.strip()))
    )


def _plain(kind: str, check: Callable[[Any], bool]) -> Callable[[_Ctx, dict[str, Any], str], Any]:
    """A ``{"value": x}`` type whose value must pass ``check``."""

    def handle(ctx: _Ctx, value: dict[str, Any], path: str) -> dict[str, Any] | None:
        if not (_extra_keys(ctx, value, {"value"}, path) and _required(ctx, value, "value", path)):
            return None
        if not check(value["value"]):
            ctx.errors.invalid_type(f"{path}.value", kind)
            return None
        return {"value": value["value"]}

    return handle


def _is_str(raw: Any) -> bool:
    return isinstance(raw, str)


def _is_int(raw: Any) -> bool:
    return isinstance(raw, int) and not isinstance(raw, bool)


def _is_bool(raw: Any) -> bool:
    return isinstance(raw, bool)


def _unix_time(raw: Any) -> int | None:
    """A date value as Unix seconds: an int, or an RFC 3339 string as the SDK writes it (C via SDK)."""
    if _is_int(raw):
        return int(raw)
    if not isinstance(raw, str) or not _RFC3339.match(raw.strip()):
        return None
    try:
        moment = datetime.fromisoformat(raw.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def _date(ctx: _Ctx, value: dict[str, Any], path: str) -> dict[str, Any] | None:
    """date/date_time/birthday: stored and read back as Unix ints, whichever form was written."""
    if not (_extra_keys(ctx, value, {"value"}, path) and _required(ctx, value, "value", path)):
        return None
    seconds = _unix_time(value["value"])
    if seconds is None:
        ctx.errors.invalid_type(f"{path}.value", "int")
        return None
    return {"value": seconds}


def _enum(ctx: _Ctx, value: dict[str, Any], path: str) -> dict[str, Any] | None:
    if not _extra_keys(ctx, value, {"value", "enum_id"}, path):
        return None
    field = ctx.field
    if value.get("enum_id") is not None:
        enum = field.enum_by_id(value["enum_id"])
        if enum is None:
            ctx.errors.add(f"{path}.enum_id")
            return None
    elif "value" in value:
        enum = field.enum_by_value(value["value"])
        if enum is None:
            ctx.errors.add(f"{path}.value")
            return None
    else:
        ctx.errors.add(f"{path}.enum_id", "FieldMissing")
        return None
    return {"value": enum.value, "enum_id": enum.id, "enum_code": enum.code}


def _coded_enum(ctx: _Ctx, value: dict[str, Any], path: str) -> dict[str, Any] | None:
    """multitext and smart_address: a text value plus an enum picked by id or code."""
    if not (_extra_keys(ctx, value, {"value", "enum_id", "enum_code"}, path) and _required(ctx, value, "value", path)):
        return None
    if not isinstance(value["value"], str):
        ctx.errors.invalid_type(f"{path}.value", "string")
        return None
    field = ctx.field
    if value.get("enum_id") is not None:
        enum = field.enum_by_id(value["enum_id"])
        bad_path = f"{path}.enum_id"
    elif value.get("enum_code") is not None:
        enum = field.enum_by_code(value["enum_code"])
        bad_path = f"{path}.enum_code"
    elif field.type == "multitext" and field.enums:
        enum, bad_path = field.enums[0], ""  # amoCRM files an untyped phone/e-mail under the first type
    else:
        ctx.errors.add(f"{path}.enum_code", "FieldMissing")
        return None
    if enum is None:
        ctx.errors.add(bad_path)
        return None
    return {"value": value["value"], "enum_id": enum.id, "enum_code": enum.code}


def _structured(required: tuple[str, ...], numeric: tuple[str, ...] = ()) -> Callable[..., Any]:
    """``{"value": {...}}`` types (legal_entity, items, file, payer, supplier, linked_entity)."""

    def handle(ctx: _Ctx, value: dict[str, Any], path: str) -> dict[str, Any] | None:
        if not (_extra_keys(ctx, value, {"value"}, path) and _required(ctx, value, "value", path)):
            return None
        inner = value["value"]
        if not isinstance(inner, dict):
            ctx.errors.invalid_type(f"{path}.value", "array")
            return None
        ok = all([_required(ctx, inner, key, f"{path}.value") for key in required])
        for key in numeric:
            if inner.get(key) is not None and not _is_number(inner[key]):
                ctx.errors.invalid_type(f"{path}.value.{key}", "numeric")
                ok = False
        return {"value": dict(inner)} if ok else None

    return handle


def _chained_list(ctx: _Ctx, value: dict[str, Any], path: str) -> dict[str, Any] | None:
    if not _extra_keys(ctx, value, {"catalog_id", "catalog_element_id", "value"}, path):
        return None
    if not (_required(ctx, value, "catalog_id", path) and _required(ctx, value, "catalog_element_id", path)):
        return None
    catalog_id, element_id = value["catalog_id"], value["catalog_element_id"]
    allowed = {c.get("catalog_id") for c in ctx.field.chained_lists or []}
    if catalog_id not in ctx.account.catalogs or (allowed and catalog_id not in allowed):
        ctx.errors.add(f"{path}.catalog_id")
        return None
    element = ctx.account.elements.get(element_id)
    if element is None or element.catalog_id != catalog_id or element.is_deleted:
        ctx.errors.add(f"{path}.catalog_element_id")
        return None
    return {"value": element.name, "catalog_id": catalog_id, "catalog_element_id": element_id}


_HANDLERS: dict[str, Callable[[_Ctx, dict[str, Any], str], dict[str, Any] | None]] = {
    "text": _plain("string", _is_str),
    "textarea": _plain("string", _is_str),
    "url": _plain("string", _is_str),
    "streetaddress": _plain("string", _is_str),
    "org_legal_name": _plain("string", _is_str),
    "tracking_data": _plain("string", _is_str),
    "numeric": _plain("numeric", _is_number),
    "price": _plain("numeric", _is_number),
    "monetary": _plain("numeric", _is_number),
    "checkbox": _plain("bool", _is_bool),
    "date": _date,
    "date_time": _date,
    "birthday": _date,
    "select": _enum,
    "radiobutton": _enum,
    "category": _enum,
    "multiselect": _enum,
    "multitext": _coded_enum,
    "smart_address": _coded_enum,
    "legal_entity": _structured(("name",)),
    "payer": _structured(("name",)),
    "supplier": _structured(("name",)),
    "linked_entity": _structured(("name",)),
    "items": _structured((), numeric=("unit_price", "quantity")),
    "file": _structured(("file_uuid", "version_uuid", "file_name", "file_size")),
    "chained_list": _chained_list,
}
assert set(_HANDLERS) == set(FIELD_TYPES)


def _find_field(
    account: Account, entity_type: str, catalog_id: int | None, item: dict[str, Any]
) -> tuple[CustomField | None, str]:
    candidates = account.fields_of(entity_type, catalog_id)
    if item.get("field_id") is not None:
        return next((f for f in candidates if f.id == item["field_id"]), None), "field_id"
    if item.get("field_code") is not None:
        return next((f for f in candidates if f.code and f.code == item["field_code"]), None), "field_code"
    return None, "field_id"


def normalize_values(
    account: Account,
    entity_type: str,
    payload: Any,
    errors: ItemErrors,
    *,
    base_path: str = "custom_fields_values",
    catalog_id: int | None = None,
    allow_read_only: bool = False,
) -> dict[int, list[dict[str, Any]] | None]:
    """Validate a ``custom_fields_values`` array; ``None`` values mean "clear the field"."""
    out: dict[int, list[dict[str, Any]] | None] = {}
    if payload is None:
        return out
    if not isinstance(payload, list):
        errors.invalid_type(base_path, "array")
        return out
    for i, item in enumerate(payload):
        path = f"{base_path}.{i}"
        if not isinstance(item, dict):
            errors.invalid_type(path, "array")
            continue
        for key in item:
            if key not in _FIELD_KEYS:
                errors.add(f"{path}.{key}", "FieldNotExpected")
        field, key = _find_field(account, entity_type, catalog_id, item)
        if field is None:
            errors.add(f"{path}.{key}")
            continue
        if not allow_read_only and not is_api_writable(field):
            errors.add(f"{path}.field_id", "NotSupportedChoice", READ_ONLY_DETAIL)
            continue
        values = item.get("values")
        if values is None or values == []:
            out[field.id] = None
            continue
        if not isinstance(values, list):
            errors.invalid_type(f"{path}.values", "array")
            continue
        ctx = _Ctx(account, field, errors)
        normalized: list[dict[str, Any]] = []
        for j, value in enumerate(values):
            vpath = f"{path}.values.{j}"
            if not isinstance(value, dict):
                errors.invalid_type(vpath, "array")
                continue
            result = _HANDLERS[field.type](ctx, value, vpath)
            if result is not None and result not in normalized:
                normalized.append(result)
        if field.type not in MULTI_VALUE_TYPES:
            normalized = normalized[:1]
        out[field.id] = normalized
    return out


def apply_values(target: FieldValues, changes: dict[int, list[dict[str, Any]] | None]) -> bool:
    """Merge validated changes into stored values; fields not mentioned stay as they are."""
    changed = False
    for field_id, values in changes.items():
        if values is None:
            changed |= target.pop(field_id, None) is not None
        elif target.get(field_id) != values:
            target[field_id] = values
            changed = True
    return changed


def values_to_api(account: Account, stored: FieldValues) -> list[dict[str, Any]] | None:
    """``custom_fields_values`` as amoCRM returns it: null when empty, deleted fields dropped."""
    out = []
    for field_id, values in stored.items():
        field = account.custom_fields.get(field_id)
        if field is None or not values:
            continue
        out.append(
            {
                "field_id": field.id,
                "field_name": field.name,
                "field_code": field.code,
                "field_type": field.type,
                "values": [dict(v) for v in values],
            }
        )
    return out or None


def default_enums(field_type: str, code: str | None) -> list[str]:
    """Enum values amoCRM gives built-in multi-type fields."""
    if field_type == "smart_address":
        return list(SMART_ADDRESS_PARTS)
    if field_type == "multitext":
        return list(EMAIL_ENUM_CODES if code == "EMAIL" else PHONE_ENUM_CODES)
    return []
