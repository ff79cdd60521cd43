"""The anonymisation policy as data: what an anonymised copy removes, masks or keeps, and why.

This table drives the code (the classifier's types, codes and name keywords, the masked kinds of
free text, the value checks of url and numeric fields) and is printed in docs/anonymisation.md;
a test checks that the document's table is `rows()` word for word. Change a decision here, then
the document. Light on purpose: the classifier imports it, the widget's field tree too.
"""

from __future__ import annotations

from dataclasses import dataclass

# Reason codes (keys of the message catalog) of what is removed.
REQUISITES = "anonymised-requisites"
LOCATION = "anonymised-location"
MAP_LINK = "anonymised-map-link"
FILE = "anonymised-file"
MONEY = "anonymised-money"
PERSONAL = "anonymised-personal"
PERSONAL_LINK = "anonymised-personal-link"
LOOKS_PERSONAL = "anonymised-looks-personal"
TRACKING = "anonymised-tracking"
LINKED_RECORD = "anonymised-linked-record"
EXCLUDED = "anonymised-excluded"

REMOVED, MASKED, KEPT = "removed", "masked", "kept"

# What a row is about; each becomes the start of the document's first cell.
TYPE, LISTED, CODE, NAME, TEXT, URL, NUMBER, PART = (
    "field type",
    "list field type",
    "field code",
    "field name",
    "text, textarea value",
    "url value",
    "numeric value",
    "deal part",
)


@dataclass(frozen=True)
class Rule:
    subject: str
    keys: tuple[str, ...]
    action: str
    reason: str | None
    why: str

    def cells(self) -> tuple[str, str, str, str]:
        """The row of the document's table: what, decision, reason code, why."""
        what = f"{self.subject}: " + ", ".join(f"`{key}`" for key in self.keys)
        return what, self.action, f"`{self.reason}`" if self.reason else "-", self.why


def _r(subject: str, keys: str, action: str, reason: str | None, why: str) -> Rule:
    return Rule(subject, tuple(keys.split()), action, reason, why)


POLICY: tuple[Rule, ...] = (
    _r(TYPE, "legal_entity org_legal_name payer supplier", REMOVED, REQUISITES, "the client's legal entity and bank"),
    _r(TYPE, "multitext birthday", REMOVED, PERSONAL, "phones, e-mails, messengers, a birthday"),
    _r(TYPE, "streetaddress smart_address", REMOVED, LOCATION, "the client's address"),
    _r(TYPE, "file", REMOVED, FILE, "contracts and scans name the client"),
    _r(TYPE, "price monetary items", REMOVED, MONEY, "amounts, prices and invoice lines"),
    _r(TYPE, "tracking_data", REMOVED, TRACKING, "marketing data of the client's visit"),
    _r(TYPE, "linked_entity", REMOVED, LINKED_RECORD, "a link to the client's invoice or contract"),
    _r(
        LISTED,
        "select multiselect radiobutton category checkbox chained_list",
        KEPT,
        None,
        "picked from a list: a kind, a service, a city or a region, never a person; names are not read",
    ),
    _r(TYPE, "text textarea url numeric date date_time", KEPT, None, "unless the name or the values say otherwise"),
    _r(CODE, "PHONE EMAIL IM POSITION BIRTHDAY", REMOVED, PERSONAL, "amoCRM's codes of personal fields"),
    _r(CODE, "ADDRESS", REMOVED, LOCATION, "amoCRM's code of an address"),
    _r(CODE, "PRICE", REMOVED, MONEY, "amoCRM's code of a price"),
    _r(CODE, "INN KPP OGRN BIK BIC", REMOVED, REQUISITES, "codes of requisites"),
    _r(NAME, "requisites", REMOVED, REQUISITES, "a name like «ИНН», «Р/с», «Реквизиты», «IBAN», «Tax ID»"),
    _r(NAME, "personal", REMOVED, PERSONAL, "a name like «Телефон», «E-mail», «ФИО», «Паспорт», «СНИЛС»"),
    _r(NAME, "location", REMOVED, LOCATION, "a name like «Адрес», «Координаты», «n_lat», «Delivery address»"),
    _r(NAME, "map", REMOVED, MAP_LINK, "a name like «Яндекс.Карта», «Map», «2ГИС»"),
    _r(NAME, "money", REMOVED, MONEY, "a name like «Сумма», «Стоимость», «Скидка», «Budget»"),
    _r(TEXT, "phone", MASKED, None, "any country's number (libphonenumber); without a code, the account's country"),
    _r(TEXT, "email", MASKED, None, "an e-mail address"),
    _r(TEXT, "link", MASKED, None, "wa.me, t.me/+…, tel:, mailto:, viber:, vk.com/id…, a place on a map"),
    _r(TEXT, "iban", MASKED, None, "an IBAN with valid mod-97 check digits and the country's length"),
    _r(TEXT, "card", MASKED, None, "a card number with a known issuer prefix and a valid Luhn digit"),
    _r(TEXT, "account", MASKED, None, "20 digits, or a number after «р/с», «к/с», «account no»"),
    _r(TEXT, "passport", MASKED, None, "series and number «4510 123456», or a number after «паспорт», «passport»"),
    _r(TEXT, "snils", MASKED, None, "СНИЛС with a valid checksum, or a number after «СНИЛС», «SSN»"),
    _r(TEXT, "ogrn", MASKED, None, "ОГРН or ОГРНИП with a valid check digit"),
    _r(TEXT, "inn", MASKED, None, "ИНН with valid check digits, or a number after «ИНН», «УНП», «ИИН», «TIN»"),
    _r(TEXT, "kpp", MASKED, None, "a number after «КПП» or in «ИНН/КПП 7702456781/770201001»"),
    _r(TEXT, "bik", MASKED, None, "nine digits from 04 (every Russian БИК), or a code after «БИК», «BIC», «SWIFT»"),
    _r(URL, "link", REMOVED, PERSONAL_LINK, "a link that reaches the client: the whole value is the datum"),
    _r(URL, "map", REMOVED, MAP_LINK, "a map link shows the client's address"),
    _r(URL, "other", KEPT, None, "project links: cloud files, a meeting, a specification"),
    _r(NUMBER, "any", REMOVED, LOOKS_PERSONAL, "a number holding a phone or an identifier cannot be partly hidden"),
    _r(PART, "extra_fields", REMOVED, EXCLUDED, "fields the rule names as well (`anonymise_extra_field_ids`)"),
    _r(PART, "contacts company budget tags", REMOVED, None, "the client, the amount and the source's labels"),
    _r(PART, "catalogs", REMOVED, None, "legal entities, invoices and other lists; products unless named"),
    _r(PART, "products", KEPT, None, "only when the rule names the products catalog; their prices go along, warned"),
    _r(PART, "name", KEPT, None, "rebuilt from a template that cannot hold the source's name"),
)


def rows() -> list[tuple[str, str, str, str]]:
    return [rule.cells() for rule in POLICY]


def _of(subject: str) -> tuple[Rule, ...]:
    return tuple(rule for rule in POLICY if rule.subject == subject)


def removed_by(subject: str) -> dict[str, str]:
    """`{key: reason}` of the removing rows about `subject` (field types, field codes)."""
    return {key: rule.reason for rule in _of(subject) if rule.action == REMOVED and rule.reason for key in rule.keys}


def kept(subject: str) -> frozenset[str]:
    return frozenset(key for rule in _of(subject) if rule.action == KEPT for key in rule.keys)


def name_reasons() -> tuple[tuple[str, str], ...]:
    """(keyword group, reason) in the table's order: a name matching several groups is reported by the first."""
    return tuple((rule.keys[0], rule.reason) for rule in _of(NAME) if rule.reason)


def masked_kinds() -> frozenset[str]:
    """What free text (text, textarea) hides in place."""
    return frozenset(key for rule in _of(TEXT) if rule.action == MASKED for key in rule.keys)


def url_reason(key: str) -> str | None:
    """Why a url field holding a `link` (personal) or a `map` link is removed; None if kept."""
    return removed_by(URL).get(key)


NUMBER_REASON = removed_by(NUMBER)["any"]
