"""The anonymised copy (manual 6.7): one switch that keeps the work and drops the client.

Dropped: contacts, company, budget, tags, every personal/financial/tracking field (see
`fields.sensitivity`) plus the rule's extra field ids, every regular catalog («Мои юр. лица»)
and the invoices catalog. Products stay only if the rule selects them. The name is
always rebuilt from a template that cannot contain `{name}`.

What stays traceable on purpose: the source lead's id and URL (note on the copy, optional
url field). A lead id is not personal data, and the URL opens only for users whom amoCRM
already allows to see the source, so it reveals nothing to anyone else.
"""

from __future__ import annotations

from dealcopy.copying.fields import sensitivity
from dealcopy.copying.metadata import CatalogInfo, FieldInfo
from dealcopy.copying.result import Skip
from dealcopy.copying.rules import CopyRule

DEFAULT_NAME_TEMPLATE = {"ru": "Копия сделки #{id}", "en": "Copy of lead #{id}"}

_KINDS = {
    "personal": ("персональные данные", "personal data"),
    "financial": ("финансовые данные", "financial data"),
    "trace": ("маркетинговые данные и связи", "tracking data and links"),
    "extra": ("исключено правилом", "excluded by the rule"),
    "contacts": ("контакты клиента", "the client's contacts"),
    "company": ("компания клиента", "the client's company"),
    "budget": ("сумма сделки", "the lead's amount"),
    "tags": ("метки источника", "the source's tags"),
    "catalog": ("реквизиты и счета", "legal entities and invoices"),
}


def anonymised(what: str, kind: str, ref: int | None = None, name: str | None = None) -> Skip:
    ru, en = _KINDS[kind]
    return Skip(
        what=what,
        code="anonymised",
        reason_ru=f"обезличенная копия: {ru}",
        reason_en=f"anonymised copy: {en}",
        ref=ref,
        name=name,
    )


def field_drop_kind(rule: CopyRule, field: FieldInfo) -> str | None:
    """Why an anonymised copy drops `field` (a `_KINDS` key), or None if it may be carried."""
    if not rule.anonymise:
        return None
    if field.id in rule.anonymise_extra_field_ids:
        return "extra"
    return sensitivity(field)


def keeps_catalog(rule: CopyRule, catalog: CatalogInfo) -> bool:
    """Anonymised copies carry products only (and only those the rule selects elsewhere)."""
    return not rule.anonymise or catalog.type == "products"


def name_template(rule: CopyRule, lang: str) -> str | None:
    """The template the copy's name comes from; None keeps the source's name."""
    if rule.anonymise:
        return rule.name_template or DEFAULT_NAME_TEMPLATE.get(lang, DEFAULT_NAME_TEMPLATE["ru"])
    return rule.name_template
