"""The copy rule: what a copy takes from its source and where it lands.

Two levels of validation. The model itself (pydantic) checks shapes and anything that
needs no account data (template placeholders, anonymise vs `{name}`); `CopyRule.check`
checks ids against the account's metadata. Both report `RuleProblem`s with paths such
as `status_id`, `responsible.user_id` or `fields[2]`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

from dealcopy.copying.digest import rule_hash  # noqa: F401 (re-exported beside `canonical_rule`)
from dealcopy.copying.errors import RuleInvalid, RuleProblem
from dealcopy.copying.field_rules import FieldRule, check_field_rules, first_duplicate
from dealcopy.copying.metadata import AccountMetadata
from dealcopy.copying.naming import DEFAULT_TIMEZONE, TemplateError, placeholders, zone
from dealcopy.messages import VALIDATION_CODES

Selection = Literal["all"] | list[int]


def _rule_error(code: str, loc: str | None = None, **data: Any) -> PydanticCustomError:
    """A validation error keyed by a message `code`; `loc` overrides the path pydantic would report."""
    ctx = {**data, "code": code} | ({"loc": loc} if loc else {})
    return PydanticCustomError("copy_rule", "{code}", ctx)


class Responsible(BaseModel):
    """Who owns the copy: the source's responsible, a fixed user, or the user who copies."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    mode: Literal["source", "fixed", "actor"] = "source"
    user_id: int | None = None

    @model_validator(mode="after")
    def _fixed_needs_user(self) -> Responsible:
        if self.mode == "fixed" and self.user_id is None:
            raise _rule_error("rule-choose-user", "responsible.user_id")
        return self


class CopyRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    pipeline_id: int
    status_id: int
    responsible: Responsible = Responsible()
    name_template: str | None = None  # None keeps the source's name
    copy_budget: bool = True
    copy_tags: bool = True
    copy_contacts: bool = True
    copy_company: bool = True
    fields: Selection = "all"  # custom field ids to carry
    # Unticked fields of an "all" rule: fields added to the account later are still carried.
    exclude_fields: list[int] = Field(default_factory=list)
    exclude_elements: list[int] = Field(default_factory=list)  # linked catalog elements left out (card)
    catalogs: Selection = "all"  # catalog ids whose linked elements are carried
    # Unticked lists of an "all" rule: lists added to the account later are still carried.
    exclude_catalogs: list[int] = Field(default_factory=list)
    anonymise: bool = False
    anonymise_extra_field_ids: list[int] = Field(default_factory=list)
    source_link_field_id: int | None = None  # a url field of the copy that gets the source's link
    add_tags: list[str] = Field(default_factory=list)
    timezone: str | None = None  # for {date}; None: the account's zone (as amoCRM reports it)
    # A delayed DP copy (`dealcopy.records.copy_delay.Delay`): opaque here, checked where a rule is
    # saved (`usecases.rules.RuleBook.strict`); the copy engine itself never reads it.
    delay: dict[str, Any] | None = None
    # Fields the copy sets, clears, renders from a template or maps (`copying.field_rules`).
    field_rules: list[FieldRule] = Field(default_factory=list)

    @field_validator("name_template")
    @classmethod
    def _known_placeholders(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not value.strip():
            raise _rule_error("rule-empty-name-template")
        try:
            placeholders(value)
        except TemplateError as err:
            raise _rule_error(err.code, **err.data) from err
        return value

    @field_validator("add_tags")
    @classmethod
    def _clean_tags(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(tag.strip() for tag in value if tag.strip()))

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            zone(value)
        except Exception as err:
            raise _rule_error("unknown-time-zone", zone=value) from err
        return value

    @model_validator(mode="after")
    def _anonymous_name(self) -> CopyRule:
        if self.anonymise and self.name_template and "name" in placeholders(self.name_template):
            raise _rule_error("rule-anonymised-name", "name_template")
        return self

    @model_validator(mode="after")
    def _one_rule_per_field(self) -> CopyRule:
        twice = first_duplicate(self.field_rules)
        if twice is not None:
            raise _rule_error("field-rule-duplicate", f"field_rules[{twice}].field_id")
        return self

    # --- validation against the account -------------------------------------------------------

    def carries_catalog(self, catalog_id: int) -> bool:
        """Whether the linked elements of this catalog are carried (before anonymisation)."""
        if self.catalogs == "all":
            return catalog_id not in self.exclude_catalogs
        return catalog_id in self.catalogs

    def check(self, metadata: AccountMetadata) -> list[RuleProblem]:
        """Every reference the account does not know; `stale` ones (deleted fields/catalogs) can be skipped."""
        return [
            *self._check_target(metadata),
            *self._check_responsible(metadata),
            *_stale_ids("fields", self.fields, metadata.fields, "rule-stale-field"),
            *_stale_ids(
                "anonymise_extra_field_ids", self.anonymise_extra_field_ids, metadata.fields, "rule-stale-field"
            ),
            *_stale_ids("catalogs", self.catalogs, metadata.catalogs, "rule-stale-catalog"),
            *self._check_source_link(metadata),
            *check_field_rules(self.field_rules, metadata, self.timezone or DEFAULT_TIMEZONE),
        ]

    def _check_target(self, metadata: AccountMetadata) -> list[RuleProblem]:
        pipeline = metadata.pipelines.get(self.pipeline_id)
        if pipeline is None:
            return [RuleProblem("pipeline_id", "rule-pipeline-not-found", pipeline_id=self.pipeline_id)]
        status = pipeline.statuses.get(self.status_id)
        if status is None:
            return [
                RuleProblem("status_id", "rule-stage-not-in-pipeline", status_id=self.status_id, pipeline=pipeline.name)
            ]
        if status.is_incoming:
            return [RuleProblem("status_id", "rule-incoming-stage")]
        return []

    def _check_responsible(self, metadata: AccountMetadata) -> list[RuleProblem]:
        if self.responsible.mode != "fixed":
            return []
        uid = self.responsible.user_id
        user = metadata.users.get(uid) if uid is not None else None
        if user is None:
            return [RuleProblem("responsible.user_id", "rule-user-not-found", user_id=uid)]
        if not user.is_active:
            return [RuleProblem("responsible.user_id", "rule-user-deactivated", user=user.name)]
        return []

    def _check_source_link(self, metadata: AccountMetadata) -> list[RuleProblem]:
        fid = self.source_link_field_id
        if fid is None:
            return []
        field = metadata.fields.get(fid)
        if field is None:
            return [RuleProblem("source_link_field_id", "rule-field-not-found", stale=True, field_id=fid)]
        if field.type != "url":
            return [RuleProblem("source_link_field_id", "rule-field-not-url", field=field.name, type=field.type)]
        return []


def _stale_ids(path: str, ids: Selection, known: Mapping[int, Any], code: str) -> list[RuleProblem]:
    if ids == "all":
        return []
    return [RuleProblem(f"{path}[{i}]", code, stale=True, ref=ref) for i, ref in enumerate(ids) if ref not in known]


# --- parsing with readable problems -----------------------------------------------------------


def _path(loc: tuple[Any, ...]) -> str:
    """('fields', 'list[int]', 2) -> 'fields[2]'; union member tags are dropped."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif "[" in part or "(" in part:
            continue
        else:
            out += f".{part}" if out else part
    return out


def problems_of(error: ValidationError) -> list[RuleProblem]:
    """pydantic errors as `RuleProblem`s, one per path, the most specific path winning."""
    found: dict[str, RuleProblem] = {}
    for err in error.errors():
        ctx = err.get("ctx") or {}
        path = ctx.get("loc") or _path(err["loc"])
        if "code" in ctx:  # ours (`_rule_error`, schedules' `problem`): the rest of ctx is the message data
            data = {k: v for k, v in ctx.items() if k not in ("code", "loc")}
            found.setdefault(path, RuleProblem(path, ctx["code"], **data))
        else:
            found.setdefault(path, RuleProblem(path, VALIDATION_CODES.get(err["type"], "rule-unexpected-value")))
    return [p for path, p in found.items() if not any(o.startswith((f"{path}[", f"{path}.")) for o in found)]


def parse_rule(data: Mapping[str, Any] | str | bytes) -> CopyRule:
    """A `CopyRule` from JSON or a mapping; raises `RuleInvalid` with paths on any problem."""
    try:
        if isinstance(data, (str, bytes)):
            return CopyRule.model_validate(json.loads(data))
        return CopyRule.model_validate(dict(data))
    except ValidationError as err:
        raise RuleInvalid(problems_of(err)) from err
    except (ValueError, RecursionError) as err:  # not JSON at all, or nested past the parser's depth
        raise RuleInvalid([RuleProblem("", "rule-not-json")]) from err


def validate_rule(rule: CopyRule, metadata: AccountMetadata, *, allow_stale: bool = False) -> None:
    """Raise `RuleInvalid` unless the rule fits the account (stale references pass with `allow_stale`)."""
    problems = [p for p in rule.check(metadata) if not (allow_stale and p.stale)]
    if problems:
        raise RuleInvalid(problems)


# --- canonical text (what a DP signature covers, what a bulk batch stores) -----------------------


def canonical_rule(rule: CopyRule) -> str:
    """The rule's normalised JSON: sorted keys, no spaces, ASCII only.

    ASCII (`\\uXXXX` escapes) because the string travels through amoCRM's settings storage
    and a form-encoded hook; nothing in it can be re-encoded on the way.
    """
    data = rule.model_dump(mode="json")
    if data.get("delay") is None:
        data.pop("delay", None)  # rules without a delay keep the canonical text (and hash) they had
    if not data.get("exclude_catalogs"):
        data.pop("exclude_catalogs", None)  # likewise rules that leave no list out
    if not data.get("field_rules"):
        data.pop("field_rules", None)  # likewise rules without field rules
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
