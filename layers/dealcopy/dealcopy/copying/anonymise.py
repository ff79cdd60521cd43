"""The anonymised copy (manual 6.7): one switch that keeps the work and drops the client.

Dropped: contacts, company, budget, tags, every field `classify` finds identifying or
financial (requisites, personal data, addresses and coordinates, map links, files, money,
tracking data, links to records) plus the rule's extra field ids, every regular catalog
(«Мои юр. лица») and the invoices catalog. Products are off unless the rule names the
products catalog explicitly (`catalogs: [id]`, not the default "all"); then they travel
with their prices, and the plan says so (`anonymised-products-carry-prices`). The name is
always rebuilt from a template that cannot contain `{name}`.

What stays traceable on purpose: the source lead's id and URL (note on the copy, optional
url field). A lead id is not personal data, and the URL opens only for users whom amoCRM
already allows to see the source, so it reveals nothing to anyone else.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from dealcopy.copying import classify
from dealcopy.copying.metadata import AccountMetadata, CatalogInfo, FieldInfo
from dealcopy.copying.result import Skip, worded
from dealcopy.copying.rules import CopyRule
from dealcopy.messages import text

DEFAULT_NAME = "anonymised-default-name"  # the catalog's words are a name template ("… #{id}")
EXCLUDED = "anonymised-excluded"
PRODUCTS_OFF = "anonymised-products-off"
PRODUCTS_CARRY_PRICES = "anonymised-products-carry-prices"


def anonymised(what: str, reason: str, ref: int | None = None, name: str | None = None) -> Skip:
    """A skip of an anonymised copy; `reason` is a catalog code or a short part name (contacts, budget...)."""
    code = reason if reason.startswith("anonymised-") else f"anonymised-{reason}"
    return worded(what, "anonymised", code, ref, name)


def field_drop_reason(rule: CopyRule, field: FieldInfo, values: Iterable[Any] | None = None) -> str | None:
    """Why an anonymised copy drops `field` (a catalog code), or None if it may be carried."""
    if not rule.anonymise:
        return None
    if field.id in rule.anonymise_extra_field_ids:
        return EXCLUDED
    return classify.classify(field, values)


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
