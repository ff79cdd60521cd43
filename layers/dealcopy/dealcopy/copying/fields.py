"""Custom field values: how each amoCRM field type is written back, and which types are sensitive.

amoCRM echoes `field_name`, `field_type`, `field_code` and (for enums) `enum_code` when
it returns values; a write must carry `field_id` + values only, in the shape of the type.
One table, `FIELD_TYPES`, holds for every type of the API docs its writer and what an anonymised
copy does with it; a per-type option is added there (and in its tests), nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dealcopy.copying.metadata import FieldInfo

# Field codes of personal data whatever the type (an anonymised copy never carries them).
PERSONAL_CODES = frozenset({"PHONE", "EMAIL", "ADDRESS"})

FILE_KEYS = ("file_uuid", "version_uuid", "file_name", "file_size")


class ValueNotCopyable(ValueError):
    """A stored value we cannot turn into a valid write: a message catalog `code` and its `data`."""

    def __init__(self, code: str, /, **data: Any) -> None:
        super().__init__(code)
        self.code = code
        self.data = data


def sensitivity(field: FieldInfo) -> str | None:
    """`personal`, `financial`, `trace` or None: why an anonymised copy must drop the field."""
    if (field.code or "").upper() in PERSONAL_CODES:
        return PERSONAL
    known = FIELD_TYPES.get(field.type)
    return known.sensitivity if known else None


# --- value converters: one stored value dict -> one write value dict (or None to drop it) -------

Converter = Callable[[FieldInfo, dict[str, Any]], dict[str, Any] | None]


def _present(value: Any) -> bool:
    return value is not None and value != ""


def _text(_: FieldInfo, item: dict[str, Any]) -> dict[str, Any] | None:
    value = item.get("value")
    return {"value": str(value)} if _present(value) else None


def _number(_: FieldInfo, item: dict[str, Any]) -> dict[str, Any] | None:
    value = item.get("value")
    if not _present(value):
        return None
    if isinstance(value, bool):
        raise ValueNotCopyable("value-not-a-number")
    try:
        float(value)
    except (TypeError, ValueError) as err:
        raise ValueNotCopyable("value-not-a-number") from err
    return {"value": value}  # amoCRM returns numbers and numeric strings alike; both are accepted back


def _checkbox(_: FieldInfo, item: dict[str, Any]) -> dict[str, Any] | None:
    value = item.get("value")
    if isinstance(value, str):
        value = value.strip().lower() in ("1", "true", "yes", "y", "да")
    return {"value": bool(value)} if value is not None else None


def _timestamp(_: FieldInfo, item: dict[str, Any]) -> dict[str, Any] | None:
    """date, date_time, birthday: written in the form the source had.

    v4 returns Unix ints (C) and the SDK writes RFC 3339 strings, which amoCRM accepts (C via SDK):
    an int (or a numeric string) goes back as an int, an RFC 3339 string goes back unchanged.
    """
    value = item.get("value")
    if not _present(value):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return {"value": int(value)}
    text = str(value).strip()
    if text.lstrip("-").isdigit():
        return {"value": int(text)}
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as err:
        raise ValueNotCopyable("value-unknown-date") from err
    return {"value": text}


def _enum(field: FieldInfo, item: dict[str, Any]) -> dict[str, Any] | None:
    """select, radiobutton, category, multiselect: by enum_id (looked up by text if absent)."""
    enum_id = item.get("enum_id")
    if enum_id is None and _present(item.get("value")):
        enum_id = field.enum_id_of(item["value"])
    if enum_id is None:
        raise ValueNotCopyable("value-option-gone", value=item.get("value"))
    if field.enums and enum_id not in field.enums:
        raise ValueNotCopyable("value-option-id-gone", enum_id=enum_id)
    return {"enum_id": enum_id}


def _coded(_: FieldInfo, item: dict[str, Any]) -> dict[str, Any] | None:
    """multitext (phone/e-mail) and smart_address parts: the text plus its type code (or enum id)."""
    value = item.get("value")
    if not _present(value):
        return None
    out: dict[str, Any] = {"value": str(value)}
    if item.get("enum_code"):
        out["enum_code"] = item["enum_code"]
    elif item.get("enum_id") is not None:
        out["enum_id"] = item["enum_id"]
    return out


def _structured(*required: str, keep: tuple[str, ...] | None = None) -> Converter:
    """`{"value": {...}}` types; `keep` limits the inner keys (file), `required` must be present."""

    def convert(_: FieldInfo, item: dict[str, Any]) -> dict[str, Any] | None:
        inner = item.get("value")
        if inner is None:
            return None
        if not isinstance(inner, dict):
            raise ValueNotCopyable("value-unexpected-shape")
        missing = [key for key in required if inner.get(key) in (None, "")]
        if missing:
            raise ValueNotCopyable("value-lacks", missing=", ".join(missing))
        return {"value": {k: v for k, v in inner.items() if keep is None or k in keep}}

    return convert


def _chained(_: FieldInfo, item: dict[str, Any]) -> dict[str, Any] | None:
    if item.get("catalog_id") is None or item.get("catalog_element_id") is None:
        raise ValueNotCopyable("value-no-list-element")
    return {"catalog_id": item["catalog_id"], "catalog_element_id": item["catalog_element_id"]}


@dataclass(frozen=True)
class FieldType:
    """How the copy handles one amoCRM field type: the one place a per-type option is declared.

    `write`: the converter of one stored value into one write value; `multiple`: the field keeps
    several values; `sensitivity`: why an anonymised copy must drop it (`personal`, `financial`,
    `trace`; the widget shows it); `rule_value`: what a field rule's `set` takes for the type
    (`copying.field_rules`: text, number, bool, date, enum, enums; text types also take a `template`,
    enum types a `map`); None: only `clear`. What an anonymised copy removes, masks or keeps is the
    policy table's (`copying.pii.policy`), which the documentation prints.
    """

    write: Converter
    multiple: bool = False
    sensitivity: str | None = None
    rule_value: str | None = None


PERSONAL, FINANCIAL, TRACE = "personal", "financial", "trace"
TEXT, NUMBER, BOOL, DATE, ENUM, ENUMS = "text", "number", "bool", "date", "enum", "enums"

FIELD_TYPES: dict[str, FieldType] = {
    "text": FieldType(_text, rule_value=TEXT),
    "textarea": FieldType(_text, rule_value=TEXT),
    "url": FieldType(_text, rule_value=TEXT),
    "streetaddress": FieldType(_text, sensitivity=PERSONAL, rule_value=TEXT),
    "org_legal_name": FieldType(_text, sensitivity=PERSONAL),
    # UTM and other tracking data are written like text (Kommo field reference, C); an anonymised
    # copy drops them, every other copy carries them.
    "tracking_data": FieldType(_text, sensitivity=TRACE),
    "numeric": FieldType(_number, rule_value=NUMBER),
    "price": FieldType(_number, sensitivity=FINANCIAL, rule_value=NUMBER),
    "monetary": FieldType(_number, sensitivity=FINANCIAL, rule_value=NUMBER),
    "checkbox": FieldType(_checkbox, rule_value=BOOL),
    "date": FieldType(_timestamp, rule_value=DATE),
    "date_time": FieldType(_timestamp, rule_value=DATE),
    "birthday": FieldType(_timestamp, sensitivity=PERSONAL, rule_value=DATE),
    "select": FieldType(_enum, rule_value=ENUM),
    "radiobutton": FieldType(_enum, rule_value=ENUM),
    "category": FieldType(_enum, rule_value=ENUM),
    "multiselect": FieldType(_enum, multiple=True, rule_value=ENUMS),
    # amoCRM's phone / e-mail type (its enums are WORK/MOB/... or WORK/PRIV/...).
    "multitext": FieldType(_coded, multiple=True, sensitivity=PERSONAL),
    "smart_address": FieldType(_coded, multiple=True, sensitivity=PERSONAL),
    "legal_entity": FieldType(_structured("name"), sensitivity=PERSONAL),
    "payer": FieldType(_structured("name"), sensitivity=PERSONAL),
    "supplier": FieldType(_structured("name"), sensitivity=PERSONAL),
    # A link to another record (an invoice, a contract); possibly read-only over the API (U): a 400 drops it.
    "linked_entity": FieldType(_structured(), sensitivity=TRACE),
    # Invoice lines: unit prices, discounts.
    "items": FieldType(_structured(), multiple=True, sensitivity=FINANCIAL),
    "file": FieldType(_structured("file_uuid", "version_uuid", keep=FILE_KEYS)),
    "chained_list": FieldType(_chained, multiple=True),
}

# Views of the table for the code that asks one question of it.
WRITERS: dict[str, tuple[Converter, bool]] = {name: (t.write, t.multiple) for name, t in FIELD_TYPES.items()}
PERSONAL_TYPES = frozenset(name for name, t in FIELD_TYPES.items() if t.sensitivity == PERSONAL)
FINANCIAL_TYPES = frozenset(name for name, t in FIELD_TYPES.items() if t.sensitivity == FINANCIAL)
TRACE_TYPES = frozenset(name for name, t in FIELD_TYPES.items() if t.sensitivity == TRACE)


def write_values(field: FieldInfo, values: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The `values` array to write for `field`; empty when nothing is left to copy.

    Raises `ValueNotCopyable` when the type is unknown or a value cannot be reshaped.
    """
    writer = WRITERS.get(field.type)
    if writer is None:
        raise ValueNotCopyable("value-type-unsupported", type=field.type)
    convert, multiple = writer
    out: list[dict[str, Any]] = []
    for item in values or []:
        if not isinstance(item, dict):
            raise ValueNotCopyable("value-unexpected-shape")
        converted = convert(field, item)
        if converted is not None and converted not in out:
            out.append(converted)
    return out if multiple else out[:1]
