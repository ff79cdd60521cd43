"""Planning a copy: source lead + rule + metadata + actor -> `CopyPlan`, with no I/O at all.

A plan holds everything the writes need (the create payload, the catalog links) and
the report (what is copied, what is skipped and why). It is a pydantic model, so a job
runner can store it between steps.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from dealcopy.copying import anonymise
from dealcopy.copying.errors import ResponsibleUnavailable
from dealcopy.copying.field_plan import FieldOutcome, apply_field_rules, template_values
from dealcopy.copying.fields import WRITERS, ValueNotCopyable, write_values
from dealcopy.copying.metadata import AccountMetadata
from dealcopy.copying.naming import DEFAULT_TIMEZONE, render_name
from dealcopy.copying.notes import lead_url
from dealcopy.copying.refusals import NOT_WRITABLE, not_writable_skip
from dealcopy.copying.result import AnonymisedField, CopiedField, CopiedSummary, Skip, worded
from dealcopy.copying.rules import CopyRule
from dealcopy.copying.source import SourceLead
from dealcopy.messages import Localized, text
from dealcopy.messages.amo_codes import localize_joined


class CatalogLink(BaseModel):
    model_config = ConfigDict(frozen=True)

    element_id: int
    catalog_id: int
    quantity: float | int
    price_id: int | None = None

    def link_item(self, lead_id: int) -> dict[str, Any]:
        """One item of `POST /api/v4/leads/link` (price_id only when the source had one)."""
        metadata: dict[str, Any] = {"quantity": self.quantity, "catalog_id": self.catalog_id}
        if self.price_id is not None:
            metadata["price_id"] = self.price_id
        return {
            "entity_id": lead_id,
            "entity_type": "leads",
            "to_entity_id": self.element_id,
            "to_entity_type": "catalog_elements",
            "metadata": metadata,
        }


class CopyPlan(BaseModel):
    model_config = ConfigDict(frozen=True)

    request_id: str
    source_id: int
    actor_user_id: int
    payload: dict[str, Any]  # one item of POST /api/v4/leads
    source_name: str | None = None  # for the notes; None for an anonymised copy (its note must not carry it)
    catalog_links: list[CatalogLink] = []
    copied: CopiedSummary
    skipped: list[Skip] = []
    source_link_field_id: int | None = None
    field_retry_used: bool = False  # amoCRM refused fields once already: the next refusal is final
    warnings: list[str] = []  # message catalog codes the user should see with the result
    anonymised: list[AnonymisedField] = []  # what an anonymised copy masked or removed, by field name

    def without_fields(self, rejected: dict[int, str], whole: set[int] | frozenset[int] = frozenset()) -> CopyPlan:
        """The plan minus the payload fields amoCRM refused (index -> amoCRM's detail), reported as skipped.

        `whole` are the indexes whose field as such was refused (not one of its values): amoCRM
        cannot tell us whether the field is read-only or was just deleted, so this copy reports
        the refusal, tagged `field-not-writable` so that the account remembers it (`refusals`).
        """
        values = self.payload.get("custom_fields_values") or []
        names = {f.id: f.name for f in self.copied.fields}
        kept = [item for i, item in enumerate(values) if i not in rejected]
        skips = [
            _rejected(values[i]["field_id"], names.get(values[i]["field_id"]), detail, i in whole)
            for i, detail in sorted(rejected.items())
            if i < len(values)
        ]
        dropped = {s.ref for s in skips}
        payload = {k: v for k, v in self.payload.items() if k != "custom_fields_values"}
        if kept:
            payload["custom_fields_values"] = kept
        copied = self.copied.model_copy(
            update={
                "fields": [f for f in self.copied.fields if f.id not in dropped],
                "source_link": self.copied.source_link and self.source_link_field_id not in dropped,
            }
        )
        return self.model_copy(
            update={"payload": payload, "copied": copied, "skipped": [*self.skipped, *skips], "field_retry_used": True}
        )


@dataclass(frozen=True)
class PlanContext:
    """Facts from outside the rule: the account's domain (for URLs), the time, the notes' language,
    the fields amoCRM refused before in this account (`{field_id: type}`, see `refusals`), and the
    account's country: the region of phone numbers typed without a country code (anonymised copies)."""

    domain: str
    now: datetime
    lang: str = "ru"
    refused: Mapping[int, str] = field(default_factory=dict)
    region: str | None = "RU"
    timezone: str = DEFAULT_TIMEZONE  # the account's zone: `{date}` unless the rule names another


def _rejected(ref: int, name: str | None, detail: str, whole: bool) -> Skip:
    """A value amoCRM refused; a field refused as a whole is tagged `field-not-writable` (remembered)."""
    # amoCRM's own English for English screens, its codes worded in Russian for Russian ones.
    shown = Localized(localize_joined(detail, "ru"), detail)
    skip = worded("field", "rejected_by_amocrm", "skip-value-rejected", ref, name, detail=shown)
    return skip.model_copy(update={"reason": NOT_WRITABLE}) if whole else skip


def _not_selected(what: str, ref: int | None = None, name: str | None = None) -> Skip:
    return worded(what, "not_selected", "skip-not-selected", ref, name)


def _carried(draft: _Draft, rule: CopyRule, what: str, selected: bool, ref: int | None = None) -> bool:
    """Whether a standard part (contacts, company, budget, tags) goes into the copy; records why not."""
    if rule.anonymise:
        draft.skipped.append(anonymise.anonymised(what, what))
        return False
    if not selected:
        draft.skipped.append(_not_selected(what, ref))
        return False
    return True


def _field_deleted(what: str, ref: int) -> Skip:
    return worded(what, "field_deleted", "skip-field-deleted", ref, field_id=ref)


@dataclass(eq=False)
class _Draft:
    """Mutable scratchpad of one plan build."""

    payload: dict[str, Any] = field(default_factory=dict)
    embedded: dict[str, Any] = field(default_factory=dict)
    fields: list[dict[str, Any]] = field(default_factory=list)
    copied_fields: list[CopiedField] = field(default_factory=list)
    links: list[CatalogLink] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    anonymised: list[AnonymisedField] = field(default_factory=list)


def _responsible(rule: CopyRule, source: SourceLead, metadata: AccountMetadata, actor_user_id: int) -> int:
    mode = rule.responsible.mode
    uid = {"fixed": rule.responsible.user_id, "actor": actor_user_id}.get(mode, source.responsible_user_id)
    user = metadata.users.get(uid) if uid is not None else None
    whose = Localized(text(f"whose-{mode}", "ru"), text(f"whose-{mode}", "en"))
    if user is None:
        raise ResponsibleUnavailable(uid, "responsible-not-in-account", whose=whose)
    if not user.is_active:
        raise ResponsibleUnavailable(uid, "responsible-deactivated", whose=whose, user=user.name)
    return user.id


def _plan_fields(
    draft: _Draft, source: SourceLead, rule: CopyRule, metadata: AccountMetadata, ctx: PlanContext
) -> None:
    selected = None if rule.fields == "all" else set(rule.fields)
    seen: set[int] = set()
    for item in source.custom_fields_values:
        fid = item.get("field_id")
        field_info = metadata.fields.get(fid) if isinstance(fid, int) else None
        name = (field_info.name if field_info else None) or item.get("field_name")
        if not isinstance(fid, int) or fid == rule.source_link_field_id:
            continue  # the link field receives the source's URL instead
        seen.add(fid)
        if (selected is not None and fid not in selected) or fid in rule.exclude_fields:
            draft.skipped.append(_not_selected("field", fid, name))
            continue
        if field_info is None:
            draft.skipped.append(_field_deleted("field", fid))
            continue
        source_values = item.get("values") or []
        decision = anonymise.decide(rule, field_info, source_values, ctx.region, ctx.lang)
        if decision is not None:
            draft.anonymised.append(decision.listed(field_info))
            if decision.reason:
                draft.skipped.append(anonymise.anonymised("field", decision.reason, fid, name))
                continue
            source_values = decision.values or []
        if field_info.type not in WRITERS or ctx.refused.get(fid) == field_info.type:
            draft.skipped.append(not_writable_skip(fid, name))
            continue
        try:
            values = write_values(field_info, source_values)
        except ValueNotCopyable as err:
            draft.skipped.append(worded("field", "not_copyable", err.code, fid, name, **err.data))
            continue
        if not values:
            draft.skipped.append(worded("field", "empty", "skip-field-empty", fid, name))
            continue
        draft.fields.append({"field_id": fid, "values": values})
        draft.copied_fields.append(CopiedField(id=fid, name=field_info.name, type=field_info.type))
    for fid in sorted((selected or set()) - seen - set(metadata.fields)):
        draft.skipped.append(_field_deleted("field", fid))


def _plan_source_link(draft: _Draft, source: SourceLead, rule: CopyRule, metadata: AccountMetadata, ctx: PlanContext):
    fid = rule.source_link_field_id
    if fid is None:
        return
    if fid not in metadata.fields:
        draft.skipped.append(_field_deleted("source_link", fid))
        return
    draft.fields.append({"field_id": fid, "values": [{"value": lead_url(ctx.domain, source.id)}]})
    draft.summary["source_link"] = True


def _plan_people(draft: _Draft, source: SourceLead, rule: CopyRule) -> None:
    """Contacts (main one first and still main) and the company."""
    if source.contacts and _carried(draft, rule, "contacts", rule.copy_contacts):
        ordered = sorted(source.contacts, key=lambda c: not c.is_main)
        draft.embedded["contacts"] = [{"id": c.id, "is_main": c.is_main} for c in ordered]
        draft.summary["contacts"] = len(ordered)
        draft.summary["main_contact_id"] = next((c.id for c in ordered if c.is_main), None)
    if source.company_ids and _carried(draft, rule, "company", rule.copy_company, source.company_ids[0]):
        draft.embedded["companies"] = [{"id": source.company_ids[0]}]
        draft.summary["company_id"] = source.company_ids[0]


def _plan_budget_and_tags(draft: _Draft, source: SourceLead, rule: CopyRule) -> None:
    if source.price and _carried(draft, rule, "budget", rule.copy_budget):
        draft.payload["price"] = source.price
        draft.summary["budget"] = source.price
    tags: list[dict[str, Any]] = []
    names: list[str] = []
    if source.tags and _carried(draft, rule, "tags", rule.copy_tags):
        tags = [{"id": t.id} if t.id is not None else {"name": t.name} for t in source.tags]
        names = [t.name for t in source.tags]
    for extra in rule.add_tags:
        if extra not in names:
            tags.append({"name": extra})
            names.append(extra)
    if tags:
        draft.embedded["tags"] = tags
        draft.summary["tags"] = names


def _plan_catalogs(draft: _Draft, source: SourceLead, rule: CopyRule, metadata: AccountMetadata) -> None:
    for element in source.catalog_elements:
        catalog = metadata.catalogs.get(element.catalog_id) if element.catalog_id is not None else None
        if catalog is None:
            draft.skipped.append(
                worded(
                    "catalog_element",
                    "catalog_deleted",
                    "skip-catalog-deleted",
                    element.id,
                    catalog_id=element.catalog_id,
                )
            )
        elif not rule.carries_catalog(catalog.id) or element.id in rule.exclude_elements:
            draft.skipped.append(_not_selected("catalog_element", element.id, catalog.name))
        elif not anonymise.keeps_catalog(rule, catalog):
            reason = anonymise.catalog_drop_reason(catalog)
            draft.skipped.append(anonymise.anonymised("catalog_element", reason, element.id, catalog.name))
        else:
            draft.links.append(
                CatalogLink(
                    element_id=element.id,
                    catalog_id=catalog.id,
                    quantity=element.quantity,
                    price_id=element.price_id,
                )
            )
    draft.summary["catalog_elements"] = len(draft.links)
    if rule.anonymise and draft.links:
        draft.warnings.append(anonymise.PRODUCTS_CARRY_PRICES)


def _pipeline_name(rule: CopyRule, metadata: AccountMetadata) -> str:
    return metadata.pipelines[rule.pipeline_id].name if rule.pipeline_id in metadata.pipelines else ""


def _name(source: SourceLead, rule: CopyRule, metadata: AccountMetadata, ctx: PlanContext) -> str:
    template = anonymise.name_template(rule, ctx.lang)
    if template is None:
        return source.name
    pipeline = _pipeline_name(rule, metadata)
    return render_name(
        template, name=source.name, lead_id=source.id, pipeline=pipeline, now=ctx.now, tz=rule.timezone or ctx.timezone
    )


def _plan_field_rules(
    draft: _Draft, source: SourceLead, rule: CopyRule, metadata: AccountMetadata, ctx: PlanContext, name: str
) -> None:
    """The rule's field rules on top of the fields carried from the source."""
    if not rule.field_rules:
        return
    pipeline = _pipeline_name(rule, metadata)
    tz = rule.timezone or ctx.timezone
    values = template_values(
        source, rule, metadata, name=name, pipeline=pipeline, now=ctx.now, tz=tz, region=ctx.region, lang=ctx.lang
    )
    carried = FieldOutcome(draft.fields, draft.copied_fields, draft.skipped)
    outcome = apply_field_rules(carried, rule, metadata, values, ctx.refused, tz)
    draft.fields, draft.copied_fields, draft.skipped = outcome.fields, outcome.copied, outcome.skipped


def build_plan(
    source: SourceLead,
    rule: CopyRule,
    metadata: AccountMetadata,
    actor_user_id: int,
    context: PlanContext,
    request_id: str | None = None,
) -> CopyPlan:
    """The plan of one copy. Rule and rights are checked by the caller; this raises only
    `ResponsibleUnavailable` (the responsible user the rule points to cannot own a lead)."""
    draft = _Draft()
    responsible = _responsible(rule, source, metadata, actor_user_id)
    _plan_fields(draft, source, rule, metadata, context)
    _plan_source_link(draft, source, rule, metadata, context)
    _plan_people(draft, source, rule)
    _plan_budget_and_tags(draft, source, rule)
    _plan_catalogs(draft, source, rule, metadata)
    name = _name(source, rule, metadata, context)
    _plan_field_rules(draft, source, rule, metadata, context, name)
    payload: dict[str, Any] = {
        **({"name": name} if name else {}),
        **draft.payload,
        "pipeline_id": rule.pipeline_id,
        "status_id": rule.status_id,
        "responsible_user_id": responsible,
    }
    if draft.fields:
        payload["custom_fields_values"] = draft.fields
    if draft.embedded:
        payload["_embedded"] = draft.embedded
    return CopyPlan(
        request_id=request_id or f"copy-{source.id}",
        source_id=source.id,
        actor_user_id=actor_user_id,
        payload=payload,
        source_name=None if rule.anonymise else (source.name or None),
        catalog_links=draft.links,
        copied=CopiedSummary(fields=draft.copied_fields, **draft.summary),
        skipped=draft.skipped,
        source_link_field_id=rule.source_link_field_id if draft.summary.get("source_link") else None,
        warnings=draft.warnings,
        anonymised=draft.anonymised,
    )
