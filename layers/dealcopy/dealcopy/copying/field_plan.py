"""Applying a rule's field rules to the fields a plan carries (pure, no I/O).

The plan first carries the source's fields as the rule selects them (anonymised as the rule
says); then each field rule sets, clears, renders or maps one field of that list. What a
`{source.<field_id>}` pulls into a template is the source's value as an anonymised copy would
carry it: a field the copy would drop renders empty, so a template cannot smuggle out what the
field itself may not carry.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dealcopy.copying import anonymise
from dealcopy.copying.field_rules import FieldRule
from dealcopy.copying.fields import ValueNotCopyable
from dealcopy.copying.metadata import AccountMetadata, FieldInfo
from dealcopy.copying.naming import local_date, render, zone
from dealcopy.copying.refusals import not_writable_skip
from dealcopy.copying.result import CopiedField, Skip, worded
from dealcopy.copying.rules import CopyRule
from dealcopy.copying.source import SourceLead

CLEARED = "cleared"


@dataclass(eq=False)
class FieldOutcome:
    """The fields after the rules: the write items, the report of what was carried, what was left out."""

    fields: list[dict[str, Any]]
    copied: list[CopiedField]
    skipped: list[Skip]


def template_values(
    source: SourceLead,
    rule: CopyRule,
    metadata: AccountMetadata,
    *,
    name: str,
    pipeline: str,
    now: datetime,
    tz: str,
    region: str | None,
    lang: str,
) -> dict[str, Any]:
    """The values a field template renders from; an anonymised copy's `{name}` is the copy's own name.

    `tz`: the zone of `{date}` and of dates pulled from the source; `region` and `lang`: how an
    anonymised copy masks what a template pulls in, as it masks the field itself."""
    values: dict[str, Any] = {
        "name": name if rule.anonymise else source.name,
        "id": source.id,
        "pipeline": pipeline,
        "date": local_date(now, tz),
    }
    wanted = {fid for fr in rule.field_rules for fid in fr.source_field_ids()}
    for item in source.custom_fields_values:
        field = metadata.fields.get(item.get("field_id"))
        if field is None or field.id not in wanted:
            continue
        stored = item.get("values") or []
        # The same decision the copy takes for the field itself: removed renders empty, masked renders masked.
        decision = anonymise.decide(rule, field, stored, region, lang)
        if decision is not None and decision.reason:
            values[f"source.{field.id}"] = ""
            continue
        shown = decision.values if decision is not None and decision.values is not None else stored
        values[f"source.{field.id}"] = ", ".join(_shown(field, v, tz) for v in shown)
    return values


def _shown(field: FieldInfo, item: Any, tz: str) -> str:
    """One stored value as text: an option's text, a date as dd.mm.yyyy, a structured value not at all."""
    value = item.get("value") if isinstance(item, dict) else None
    if isinstance(value, (dict, list)) or value is None:
        return ""
    if field.type in _DATE_TYPES and str(value).lstrip("-").isdigit():
        return datetime.fromtimestamp(int(value), zone(tz)).strftime("%d.%m.%Y")
    return str(value)


_DATE_TYPES = frozenset({"date", "date_time", "birthday"})


def apply_field_rules(
    outcome: FieldOutcome,
    rule: CopyRule,
    metadata: AccountMetadata,
    values: Mapping[str, Any],
    refused: Mapping[int, str],
    tz: str,
) -> FieldOutcome:
    """`outcome` (the fields carried from the source) with each of the rule's field rules applied (`tz`: the
    zone a `YYYY-MM-DD` date is midnight in)."""
    items = {item["field_id"]: item for item in outcome.fields}
    copied = {c.id: c for c in outcome.copied}
    skipped = list(outcome.skipped)
    for fr in rule.field_rules:
        field = metadata.fields.get(fr.field_id)
        if field is None:
            skipped.append(worded("field", "field_deleted", "skip-field-deleted", fr.field_id, field_id=fr.field_id))
            continue
        if fr.clear:
            items.pop(field.id, None)
            copied.pop(field.id, None)
            skipped = [s for s in skipped if not (s.what == "field" and s.ref == field.id)]
            skipped.append(worded("field", CLEARED, "skip-field-cleared", field.id, field.name))
            continue
        if fr.map is not None:
            if field.id in items:
                items[field.id] = {**items[field.id], "values": fr.mapped(items[field.id]["values"])}
            continue
        if refused.get(field.id) == field.type:
            skipped.append(not_writable_skip(field.id, field.name))
            continue
        try:
            written = _written(fr, field, values, tz)
        except ValueNotCopyable as err:
            skipped.append(worded("field", "not_copyable", err.code, field.id, field.name, **err.data))
            continue
        skipped = [s for s in skipped if not (s.what == "field" and s.ref == field.id)]
        if not written:  # a template that rendered empty leaves the field empty
            items.pop(field.id, None)
            copied.pop(field.id, None)
            continue
        items[field.id] = {"field_id": field.id, "values": written}
        copied[field.id] = CopiedField(id=field.id, name=field.name, type=field.type)
    return FieldOutcome(list(items.values()), list(copied.values()), skipped)


def _written(fr: FieldRule, field: FieldInfo, values: Mapping[str, Any], tz: str) -> list[dict[str, Any]]:
    if fr.set is not None:
        return fr.set_values(field, tz)
    text = render(fr.template or "", dict(values)).strip()
    return [{"value": text}] if text else []


def field_results(payload: Mapping[str, Any], copied: list[CopiedField], skipped: list[Skip]) -> list[dict[str, Any]]:
    """Each custom field the copy will hold, with the values it writes; a cleared field with none."""
    names = {c.id: c.name for c in copied}
    out = [
        {"field_id": item["field_id"], "name": names.get(item["field_id"]), "values": item["values"]}
        for item in payload.get("custom_fields_values") or []
    ]
    out += [{"field_id": s.ref, "name": s.name, "values": []} for s in skipped if s.code == CLEARED]
    return out
