"""Field rules: a copy that differs from its source on purpose, one custom field at a time.

`{"field_id": id, <action>: ...}` with exactly one action:
- `set`: a fixed value as the field's type takes it (`fields.FIELD_TYPES[type].rule_value`: text,
  a number, true/false, `YYYY-MM-DD` or a Unix timestamp for dates, an enum id for lists, a list
  of enum ids for multiselect);
- `clear`: the copy leaves the field empty even if the source has it;
- `template`: text from `{name}`, `{id}`, `{pipeline}`, `{date}`, `{n}` and `{source.<field_id>}`
  (text fields only);
- `map`: `{source enum id: target enum id}` for list fields; unmapped values are carried as they are.

The model checks shapes; `FieldRule.check` checks ids and values against the account's metadata
(paths such as `field_rules[1].set`). Applying the rules to a plan is `copying.field_plan`.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    SerializerFunctionWrapHandler,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    field_validator,
    model_serializer,
    model_validator,
)
from pydantic_core import PydanticCustomError

from dealcopy.copying.errors import RuleProblem
from dealcopy.copying.fields import BOOL, DATE, ENUM, ENUMS, FIELD_TYPES, NUMBER, TEXT, ValueNotCopyable, write_values
from dealcopy.copying.metadata import AccountMetadata, FieldInfo
from dealcopy.copying.naming import SOURCE_FIELD, TemplateError, placeholders, zone

ACTIONS = ("set", "clear", "template", "map")
SetValue = StrictBool | StrictInt | StrictFloat | StrictStr | list[StrictInt]


def _error(code: str, **data: Any) -> PydanticCustomError:
    return PydanticCustomError("copy_rule", "{code}", {**data, "code": code})


class FieldRule(BaseModel):
    """One field of the copy set, cleared, rendered from a template, or its options mapped."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    field_id: int
    set: SetValue | None = None
    clear: Literal[True] | None = None
    template: str | None = None
    map: dict[int, int] | None = None

    @model_serializer(mode="wrap")
    def _only_the_action(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """A field rule reads back as it was written: its field and its one action."""
        return {k: v for k, v in handler(self).items() if v is not None}

    @field_validator("set", mode="before")
    @classmethod
    def _settable(cls, value: Any) -> Any:
        """One plain JSON value or a list of ids: anything else is one problem at `set`, not one per union member."""
        ids = isinstance(value, list) and all(isinstance(x, int) and not isinstance(x, bool) for x in value)
        if value is not None and not isinstance(value, (bool, int, float, str)) and not ids:
            raise _error("rule-unexpected-value")
        return value

    @field_validator("template")
    @classmethod
    def _known_placeholders(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                placeholders(value, source_fields=True)
            except TemplateError as err:
                raise _error(err.code, **err.data) from err
        return value

    @model_validator(mode="after")
    def _one_action(self) -> FieldRule:
        if sum(getattr(self, name) is not None for name in ACTIONS) != 1:
            raise _error("field-rule-one-action")
        return self

    @property
    def action(self) -> str:
        return next(name for name in ACTIONS if getattr(self, name) is not None)

    def source_field_ids(self) -> list[int]:
        """The source fields the template pulls in."""
        used = placeholders(self.template, source_fields=True) if self.template else set()
        return sorted(int(m.group(1)) for name in used if (m := SOURCE_FIELD.fullmatch(name)))

    # --- against the account ------------------------------------------------------------------

    def check(self, metadata: AccountMetadata, path: str, tz: str) -> list[RuleProblem]:
        field = metadata.fields.get(self.field_id)
        if field is None:
            return [RuleProblem(f"{path}.field_id", "rule-field-not-found", stale=True, field_id=self.field_id)]
        kind = rule_value(field)
        where = f"{path}.{self.action}"
        if self.set is not None:
            if kind is None:
                return [RuleProblem(where, "field-rule-cannot-set", field=field.name, type=field.type)]
            try:
                self.set_values(field, tz)
            except ValueNotCopyable:
                return [RuleProblem(where, f"field-rule-expects-{kind}", field=field.name)]
        if self.template is not None:
            if kind != TEXT:
                return [RuleProblem(where, "field-rule-template-not-text", field=field.name, type=field.type)]
            gone = [fid for fid in self.source_field_ids() if fid not in metadata.fields]
            return [RuleProblem(where, "rule-field-not-found", stale=True, field_id=fid) for fid in gone[:1]]
        if self.map is not None:
            if kind not in (ENUM, ENUMS):
                return [RuleProblem(where, "field-rule-map-not-list", field=field.name, type=field.type)]
            unknown = [eid for pair in self.map.items() for eid in pair if eid not in field.enums]
            return [
                RuleProblem(where, "field-rule-option-not-found", field=field.name, enum_id=eid) for eid in unknown[:1]
            ]
        return []

    def set_values(self, field: FieldInfo, tz: str) -> list[dict[str, Any]]:
        """The `values` a `set` writes to `field`; raises `ValueNotCopyable` when the value does not fit."""
        values = write_values(field, _stored(rule_value(field), self.set, tz))
        if not values:
            raise ValueNotCopyable("field-rule-empty-value")
        return values

    def mapped(self, values: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """`values` (enum writes) with the options the map names replaced; duplicates dropped."""
        out: list[dict[str, Any]] = []
        for item in values:
            enum_id = item.get("enum_id")
            new = {**item, "enum_id": self.map[enum_id]} if self.map and enum_id in self.map else item
            if new not in out:
                out.append(new)
        return out


def rule_value(field: FieldInfo) -> str | None:
    known = FIELD_TYPES.get(field.type)
    return known.rule_value if known else None


def _stored(kind: str | None, value: Any, tz: str) -> list[dict[str, Any]]:
    """`value` as amoCRM stores it for the kind of field, for the type's own writer to check and shape."""
    scalar = not isinstance(value, (list, bool))
    if kind == TEXT and isinstance(value, str) and value.strip():
        return [{"value": value}]
    if kind == NUMBER and scalar:
        return [{"value": value}]
    if kind == BOOL and isinstance(value, bool):
        return [{"value": value}]
    if kind == DATE and isinstance(value, int) and not isinstance(value, bool):
        return [{"value": value}]
    if kind == DATE and isinstance(value, str):
        return [{"value": _midnight(value, tz)}]
    if kind in (ENUM, ENUMS) and isinstance(value, int) and not isinstance(value, bool):
        return [{"enum_id": value}]
    if kind == ENUMS and isinstance(value, list) and value:
        return [{"enum_id": eid} for eid in value]
    raise ValueNotCopyable("field-rule-value-invalid")


def _midnight(text: str, tz: str) -> int:
    """`YYYY-MM-DD` as the Unix time of that day's start in the rule's time zone (how amoCRM stores dates)."""
    try:
        day = date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise ValueNotCopyable("field-rule-value-invalid")
    return int(datetime.combine(day, time(), zone(tz)).timestamp())


def check_field_rules(rules: list[FieldRule], metadata: AccountMetadata, tz: str) -> list[RuleProblem]:
    return [p for i, rule in enumerate(rules) for p in rule.check(metadata, f"field_rules[{i}]", tz)]


def first_duplicate(rules: list[FieldRule]) -> int | None:
    """The index of the first rule naming a field an earlier rule already names, or None."""
    seen: set[int] = set()
    for i, rule in enumerate(rules):
        if rule.field_id in seen:
            return i
        seen.add(rule.field_id)
    return None
