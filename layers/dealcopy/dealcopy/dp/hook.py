"""Parsing the Digital Pipeline webhook into a `DpHook`, with a reason for every refusal.

The documented shape is JSON (C), but two independent public receivers saw it arrive
form-encoded with PHP bracket keys and string values (U: the wire format is unconfirmed),
so both are accepted: `event[data][id]=123` and `{"event": {"data": {"id": 123}}}` give the
same hook. Numbers may come as strings either way.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from dealcopy.dp.errors import HookMalformed, HookUnsupported
from dealcopy.ids import MAX_AMO_ID
from dealcopy.messages import Localized, text

LEAD = 2  # element_type of leads; 12 = customers
_SEGMENT = re.compile(r"\[([^\]]*)\]")


@dataclass(frozen=True)
class DpHook:
    account_id: int
    subdomain: str | None
    lead_id: int
    pipeline_id: int
    status_id: int
    event_time: int
    event_type: str  # type_code, or the numeric type as text
    rule: str | None  # the DP settings input `rule` (signed canonical JSON)
    signature: str | None


def parse_form(body: str) -> dict[str, Any]:
    """`a[b][c]=1&a[d][]=2` -> {"a": {"b": {"c": "1"}, "d": {"0": "2"}}} (PHP's bracket syntax)."""
    root: dict[str, Any] = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        head, bracket, rest = key.partition("[")
        parts = [head, *_SEGMENT.findall("[" + rest)] if bracket else [key]
        node = root
        for part in parts[:-1]:
            child = node.get(part)
            if not isinstance(child, dict):
                child = node[part] = {}
            node = child
        last = parts[-1] or str(len(node))  # `x[]=v` appends, numbered like PHP does
        node[last] = value
    return root


def decode_body(body: str | None, content_type: str | None) -> dict[str, Any]:
    """JSON or form-encoded; the content type decides, else the first character does."""
    text = (body or "").strip()
    if not text:
        raise HookMalformed("empty-body")
    kind = (content_type or "").split(";")[0].strip().lower()
    as_json = kind.endswith("json") or (kind not in ("application/x-www-form-urlencoded",) and text[0] in "{[")
    if as_json:
        try:
            data = json.loads(text)
        except (ValueError, RecursionError) as err:  # nesting deep enough to exhaust the parser
            raise HookMalformed("bad-json") from err
    else:
        data = parse_form(text)
    if not isinstance(data, dict):
        raise HookMalformed("bad-body")
    return data


def _at(data: dict[str, Any], path: str) -> Any:
    node: Any = data
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _integer(value: Any) -> int | None:
    """An int from JSON numbers or digit strings; None if it is anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*-?[0-9]{1,19}\s*", value):  # ASCII digits only
        return int(value)
    return None


_REQUIRED = {
    "account_id": "account_id",
    "event.data.id": "lead_id",
    "event.data.element_type": "element_type",
    "event.data.pipeline_id": "pipeline_id",
    "event.data.status_id": "status_id",
}
_IDS = frozenset({"account_id", "lead_id", "pipeline_id", "status_id"})
_OPTIONAL = {"event.time": "event_time"}  # U: may be absent; then the time we received the hook


def _field_error(path: str, code: str) -> dict[str, str]:
    return {"path": path, "message_ru": text(code, "ru"), "message_en": text(code, "en")}


def parse_hook(body: str | None, content_type: str | None) -> DpHook:
    """The hook, or `HookMalformed` for a missing/mistyped field, `HookUnsupported` for anything but a lead."""
    data = decode_body(body, content_type)
    if _at(data, "account_id") is None and _at(data, "account.id") is not None:
        data = {**data, "account_id": _at(data, "account.id")}
    values: dict[str, int] = {}
    errors = []
    for path, name in (_REQUIRED | _OPTIONAL).items():
        raw = _at(data, path)
        if (raw is None or raw == "") and path in _OPTIONAL:
            values[name] = int(time.time())
            continue
        if raw is None or raw == "":
            errors.append(_field_error(path, "hook-field-required"))
            continue
        number = _integer(raw)
        lowest = 1 if name in _IDS else 0
        if number is None or not lowest <= number <= MAX_AMO_ID:  # ids amoCRM uses; a huge one never goes further
            errors.append(_field_error(path, "rule-integer-expected"))
            continue
        values[name] = number
    if errors:
        fields = Localized(
            *("; ".join(f"{e['path']}: {e[key]}" for e in errors) for key in ("message_ru", "message_en"))
        )
        raise HookMalformed("bad-hook", fields=fields, errors=errors)
    if values["element_type"] != LEAD:
        raise HookUnsupported(lead=LEAD, element_type=values["element_type"])
    settings = _at(data, "action.settings.widget.settings")
    settings = settings if isinstance(settings, dict) else {}
    rule, signature = settings.get("rule"), settings.get("signature")
    event_type = _at(data, "event.type_code") or _at(data, "event.type") or ""
    subdomain = _at(data, "subdomain") or _at(data, "account.subdomain")
    return DpHook(
        account_id=values["account_id"],
        subdomain=str(subdomain) if subdomain else None,
        lead_id=values["lead_id"],
        pipeline_id=values["pipeline_id"],
        status_id=values["status_id"],
        event_time=values["event_time"],
        event_type=str(event_type),
        rule=rule if isinstance(rule, str) and rule else None,
        signature=signature if isinstance(signature, str) and signature else None,
    )
