"""What a custom field holds, by its type, its code, its name and its values (manual 6.7).

An anonymised copy must not carry anything that identifies the client or the money. amoCRM's
field types say only part of that: an ИНН is often a plain `text` field, coordinates are
`numeric` fields named `n_lat`/`n_long`, a map link is a `url`. So a field is classified by
type first, then by its code and its name (Russian and English keywords), as the policy table
(`pii.policy`, docs/anonymisation.md) says; what its values hold is judged per copy (`anonymise`).
Every class is a reason code of the message catalog, so the widget and the result can say why
a field is dropped.

Pure functions over `FieldInfo`; no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from dealcopy.copying.metadata import FieldInfo
from dealcopy.copying.pii import policy

# Reason codes (keys of the message catalog), defined with the policy table.
REQUISITES = policy.REQUISITES
LOCATION = policy.LOCATION
MAP_LINK = policy.MAP_LINK
FILE = policy.FILE
MONEY = policy.MONEY
PERSONAL = policy.PERSONAL
PERSONAL_LINK = policy.PERSONAL_LINK
LOOKS_PERSONAL = policy.LOOKS_PERSONAL
TRACKING = policy.TRACKING
LINKED_RECORD = policy.LINKED_RECORD

# Most telling first: a field matching several classes is reported by the first.
REASONS = (
    REQUISITES,
    PERSONAL,
    LOCATION,
    MAP_LINK,
    PERSONAL_LINK,
    FILE,
    MONEY,
    TRACKING,
    LINKED_RECORD,
    LOOKS_PERSONAL,
)

BY_TYPE: Mapping[str, str] = policy.removed_by(policy.TYPE)
BY_CODE: Mapping[str, str] = policy.removed_by(policy.CODE)


def _kw(words: str) -> tuple[str, ...]:
    return tuple(words.split("|"))


# Name keywords. `words` match a whole word of the name, `stems` the start of a word.
# Names are lower-cased, "ё" read as "е", and split on anything but letters and digits
# ("n_lat" -> "n lat", "р/с" -> "р с").
_KEYWORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "requisites": {
        "words": _kw("инн|кпп|огрн|огрнип|бик|окпо|оквэд|р с|к с|л с|inn|kpp|ogrn|bik|bic|swift|iban|vat|tin|tax id"),
        "stems": _kw(
            "реквизит|расчетный сч|расч сч|корр|лицевой сч|банк|плательщик|поставщик|юр лиц|юридическ|контрагент"
            "|requisite|bank|payer|supplier|legal entit|routing"
        ),
    },
    "personal": {
        "words": _kw("фио|имя|фамилия|отчество|снилс|тел|skype|telegram|whatsapp|viber"),
        "stems": _kw(
            "телефон|e mail|email|почта|паспорт|дата рождения|день рождения|контактное лиц"
            "|phone|mobile|mail|passport|birth|full name|first name|last name|contact person"
        ),
    },
    "location": {
        "words": _kw("lat|lng|lon|long|gps|geo"),
        "stems": _kw(
            "адрес|координат|широт|долгот|местоположен|геолокац|почтовый индекс"
            "|address|coordinat|latitude|longitude|location|geoloc|zip|postcode|postal"
        ),
    },
    "map": {
        "words": _kw("map|maps|2gis|2гис"),
        "stems": _kw("карта|карты|google map"),
    },
    "money": {
        "words": _kw("сумма|цена|ндс|price|sum|cost"),
        "stems": _kw(
            "сумм|стоимост|бюджет|оплат|предоплат|аванс|платеж|скидк|выручк|прибыл"
            "|amount|budget|payment|prepay|discount|revenue|total"
        ),
    },
}

# Types whose values are picked from a fixed list or ticked: their names tell a kind, not the
# client ("Плательщик: ФЛ/ЮЛ" says what kind of payer, not who pays).
_CHOSEN = policy.kept(policy.LISTED)


def _normalized(text: str) -> str:
    words = re.findall(r"[0-9a-zа-я]+", text.lower().replace("ё", "е"))
    return " " + " ".join(words) + " "


def _by_name(name: str) -> str | None:
    norm = _normalized(name)
    for group, reason in policy.name_reasons():
        keys = _KEYWORDS[group]
        if any(f" {w} " in norm for w in keys["words"]) or any(f" {s}" in norm for s in keys["stems"]):
            return reason
    return None


def classify_field(field: FieldInfo) -> str | None:
    """The reason code an anonymised copy drops `field` for, from the metadata alone; None if it may go.

    This is what the widget can know before any lead is read (type, code, name).
    """
    reason = BY_TYPE.get(field.type) or BY_CODE.get((field.code or "").upper())
    if reason:
        return reason
    return None if field.type in _CHOSEN else _by_name(field.name)


def classify(field: FieldInfo) -> str | None:
    """The reason code an anonymised copy drops `field` for, from its metadata; None if its values decide."""
    return classify_field(field)


def field_reasons(fields: Mapping[int, FieldInfo]) -> dict[int, str]:
    """`{field_id: reason_code}` of every field an anonymised copy drops, known from the metadata.

    For the widget's field tree: such a field is shown unticked and disabled with its reason.
    """
    return {fid: reason for fid, field in fields.items() if (reason := classify_field(field))}
