"""The anonymised copy (manual 6.7): one switch that keeps the work and drops the client.

Dropped: contacts, company, budget, tags, every field `classify` finds identifying or
financial (requisites, personal data, addresses and coordinates, map links, files, money,
tracking data, links to records) plus the rule's extra field ids, url fields holding a link to
the client (messenger, call, mail, profile, map), numeric fields holding a phone or an
identifier, every regular catalog
(«Мои юр. лица») and the invoices catalog. Products are off unless the rule names the
products catalog explicitly (`catalogs: [id]`, not the default "all"); then they travel
with their prices, and the plan says so (`anonymised-products-carry-prices`). The name is
always rebuilt from a template that cannot contain `{name}`.

Masked, not dropped: in text and textarea values each phone, e-mail, personal link or
identifier found (`pii.detect`) is replaced by a placeholder in the copy's language and the rest
of the text is kept. The policy table (`pii.policy`, docs/anonymisation.md) says which is which;
`AnonymisedField`s list every field masked or removed, by name, for the preview and the result.

What stays traceable on purpose: the source lead's id and URL (note on the copy, optional
url field). A lead id is not personal data, and the URL opens only for users whom amoCRM
already allows to see the source, so it reveals nothing to anyone else.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from dealcopy.copying import classify
from dealcopy.copying.metadata import AccountMetadata, CatalogInfo, FieldInfo
from dealcopy.copying.pii import policy
from dealcopy.copying.result import AnonymisedField, Skip, worded
from dealcopy.copying.rules import CopyRule
from dealcopy.messages import text

DEFAULT_NAME = "anonymised-default-name"  # the catalog's words are a name template ("… #{id}")
EXCLUDED = policy.EXCLUDED
PRODUCTS_OFF = "anonymised-products-off"
PRODUCTS_CARRY_PRICES = "anonymised-products-carry-prices"


def anonymised(what: str, reason: str, ref: int | None = None, name: str | None = None) -> Skip:
    """A skip of an anonymised copy; `reason` is a catalog code or a short part name (contacts, budget...)."""
    code = reason if reason.startswith("anonymised-") else f"anonymised-{reason}"
    return worded(what, "anonymised", code, ref, name)


@dataclass(frozen=True)
class FieldDecision:
    """What an anonymised copy does with one field: drop it (`reason`), or write `values` instead (masked)."""

    reason: str | None = None
    values: list[dict[str, Any]] | None = None
    kinds: tuple[str, ...] = ()

    def listed(self, field: FieldInfo) -> AnonymisedField:
        action = policy.REMOVED if self.reason else policy.MASKED
        return AnonymisedField(field_id=field.id, field=field.name, action=action, kinds=list(self.kinds))


def decide(
    rule: CopyRule, field: FieldInfo, values: list[dict[str, Any]], region: str | None, lang: str
) -> FieldDecision | None:
    """Drop, mask or carry `field` (None: carry its values as they are)."""
    if not rule.anonymise:
        return None
    if field.id in rule.anonymise_extra_field_ids:
        return FieldDecision(EXCLUDED, kinds=("excluded",))
    reason = classify.classify_field(field)
    if reason:
        return FieldDecision(reason, kinds=(reason.removeprefix("anonymised-"),))
    if field.type in ("text", "textarea"):
        return _masked(values, region, lang)
    if field.type == "url":
        return _url(values)
    if field.type == "numeric":
        return _number(values, region)
    return None


def _texts(values: Iterable[dict[str, Any]]) -> list[str]:
    out = []
    for item in values:
        value = item.get("value") if isinstance(item, dict) else None
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            out.append(str(value))
    return out


def _masked(values: list[dict[str, Any]], region: str | None, lang: str) -> FieldDecision | None:
    from dealcopy.copying.pii.mask import mask  # phonenumbers and stdnum: only an anonymised copy pays

    hidden = policy.masked_kinds()
    out, kinds = [], []
    for item in values:
        value = item.get("value") if isinstance(item, dict) else None
        masked, found = mask(value, region, lang, hidden) if isinstance(value, str) else (value, ())
        out.append({**item, "value": masked} if found else item)
        kinds += found
    return FieldDecision(values=out, kinds=tuple(dict.fromkeys(kinds))) if kinds else None


def _url(values: list[dict[str, Any]]) -> FieldDecision | None:
    from dealcopy.copying.pii.links import is_map_link, is_personal_link

    for url in _texts(values):
        key = "map" if is_map_link(url) else "link" if is_personal_link(url) else "other"
        reason = policy.url_reason(key)
        if reason:
            return FieldDecision(reason, kinds=("link",))
    return None


def _number(values: list[dict[str, Any]], region: str | None) -> FieldDecision | None:
    from dealcopy.copying.pii.detect import find

    kinds = [found.kind for number in _texts(values) for found in find(number, region)]
    return FieldDecision(policy.NUMBER_REASON, kinds=tuple(dict.fromkeys(kinds))) if kinds else None


def field_reasons(metadata: AccountMetadata, extra_field_ids: Iterable[int] = ()) -> dict[int, str]:
    """`{field_id: reason_code}` of every lead field an anonymised copy drops, known before any lead is read.

    For the widget's field tree (settings lookup): show these unticked and disabled with the
    reason, and count only the rest. Values are not known there: a free-text field whose
    value looks like a phone, an e-mail or requisites is dropped by the copy itself
    (`anonymised-looks-personal`) and reported in its result.
    """
    reasons = classify.field_reasons(metadata.fields)
    return reasons | {fid: EXCLUDED for fid in extra_field_ids if fid in metadata.fields and fid not in reasons}


def keeps_catalog(rule: CopyRule, catalog: CatalogInfo) -> bool:
    """Anonymised copies carry products only, and only when the rule names the products catalog."""
    if not rule.anonymise:
        return True
    return catalog.type == "products" and rule.catalogs != "all" and catalog.id in rule.catalogs


def catalog_drop_reason(catalog: CatalogInfo) -> str:
    return PRODUCTS_OFF if catalog.type == "products" else "anonymised-catalog"


def name_template(rule: CopyRule, lang: str) -> str | None:
    """The template the copy's name comes from; None keeps the source's name."""
    if rule.anonymise:
        return rule.name_template or text(DEFAULT_NAME, lang)
    return rule.name_template
