"""What a custom field holds, by its type, its code, its name and its values (manual 6.7).

An anonymised copy must not carry anything that identifies the client or the money. amoCRM's
field types say only part of that: an ИНН is often a plain `text` field, coordinates are
`numeric` fields named `n_lat`/`n_long`, a map link is a `url`. So a field is classified by
type first, then by its code, its name (Russian and English keywords) and, when the values are
known, by what they look like. Every class is a reason code of the message catalog
(`dealcopy.messages.copying`), so the widget and the result can say why a field is dropped.

Pure functions over `FieldInfo` and plain values; no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from dealcopy.copying.fields import ANONYMISED_BY_TYPE
from dealcopy.copying.metadata import FieldInfo

# Reason codes (keys of dealcopy.messages.copying.MESSAGES).
REQUISITES = "anonymised-requisites"
LOCATION = "anonymised-location"
MAP_LINK = "anonymised-map-link"
FILE = "anonymised-file"
MONEY = "anonymised-money"
PERSONAL = "anonymised-personal"
LOOKS_PERSONAL = "anonymised-looks-personal"
TRACKING = "anonymised-tracking"
LINKED_RECORD = "anonymised-linked-record"

# Most telling first: a field matching several classes is reported by the first.
REASONS = (REQUISITES, PERSONAL, LOCATION, MAP_LINK, FILE, MONEY, TRACKING, LINKED_RECORD, LOOKS_PERSONAL)

BY_TYPE: Mapping[str, str] = ANONYMISED_BY_TYPE  # declared with each type in `fields.FIELD_TYPES`

BY_CODE: Mapping[str, str] = {
    "PHONE": PERSONAL,
    "EMAIL": PERSONAL,
    "IM": PERSONAL,
    "POSITION": PERSONAL,
    "BIRTHDAY": PERSONAL,
    "ADDRESS": LOCATION,
    "PRICE": MONEY,
    "INN": REQUISITES,
    "KPP": REQUISITES,
    "OGRN": REQUISITES,
    "BIK": REQUISITES,
    "BIC": REQUISITES,
}


def _kw(words: str) -> tuple[str, ...]:
    return tuple(words.split("|"))


# Name keywords. `words` match a whole word of the name, `stems` the start of a word.
# Names are lower-cased, "ё" read as "е", and split on anything but letters and digits
# ("n_lat" -> "n lat", "р/с" -> "р с").
_KEYWORDS: dict[str, dict[str, tuple[str, ...]]] = {
    REQUISITES: {
        "words": _kw("инн|кпп|огрн|огрнип|бик|окпо|оквэд|р с|к с|л с|inn|kpp|ogrn|bik|bic|swift|iban|vat|tin|tax id"),
        "stems": _kw(
            "реквизит|расчетный сч|расч сч|корр|лицевой сч|банк|плательщик|поставщик|юр лиц|юридическ|контрагент"
            "|requisite|bank|payer|supplier|legal entit|routing"
        ),
    },
    PERSONAL: {
        "words": _kw("фио|имя|фамилия|отчество|снилс|тел|skype|telegram|whatsapp|viber"),
        "stems": _kw(
            "телефон|e mail|email|почта|паспорт|дата рождения|день рождения|контактное лиц"
            "|phone|mobile|mail|passport|birth|full name|first name|last name|contact person"
        ),
    },
    LOCATION: {
        "words": _kw("lat|lng|lon|long|gps|geo"),
        "stems": _kw(
            "адрес|координат|широт|долгот|местоположен|геолокац|почтовый индекс"
            "|address|coordinat|latitude|longitude|location|geoloc|zip|postcode|postal"
        ),
    },
    MAP_LINK: {
        "words": _kw("map|maps|2gis|2гис"),
        "stems": _kw("карта|карты|google map"),
    },
    MONEY: {
        "words": _kw("сумма|цена|ндс|price|sum|cost"),
        "stems": _kw(
            "сумм|стоимост|бюджет|оплат|предоплат|аванс|платеж|скидк|выручк|прибыл"
            "|amount|budget|payment|prepay|discount|revenue|total"
        ),
    },
}

_MAP_HOSTS = ("2gis.", "2гис.", "openstreetmap.", "osm.org", "maps.me", "wikimapia.", "here.com", "waze.com")
_MAP_HOST_PREFIXES = ("maps.", "map.", "yandex.maps", "n.maps")
_MAP_PATHS = ("/maps", "/map/")

_URL = re.compile(r"(?:https?://)?(?:[\w-]+\.)+[^\W\d_]{2,}(?:/\S*)?", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# +7 909 726-01-77, 8 (342) 200-00-00, +44 20 7946 0958 ...
_PHONE = re.compile(r"(?:\+\d{1,3}|(?<![\d.,])8)[\s\-(]*\d{3,4}[\s\-)]*\d{2,4}[\s\-]*\d{2}[\s\-]*\d{2}(?![\d.,])")
# Standalone digit runs: 9 (КПП, БИК), 10/12 (ИНН), 13/15 (ОГРН, ОГРНИП), 20 (account numbers).
_REQUISITE_DIGITS = re.compile(r"(?<![\d.,])(?:\d{20}|\d{15}|\d{13}|\d{12}|\d{10}|\d{9})(?![\d.,])")
# Types whose values are picked from a fixed list or ticked: their names tell a kind, not the
# client ("Плательщик: ФЛ/ЮЛ" says what kind of payer, not who pays).
_CHOSEN = frozenset({"select", "multiselect", "radiobutton", "category", "checkbox", "chained_list"})
# Value types whose text is looked at: anything a user can type freely.
_FREE_TEXT_TYPES = frozenset({"text", "textarea", "numeric", "url"})


def _normalized(text: str) -> str:
    words = re.findall(r"[0-9a-zа-я]+", text.lower().replace("ё", "е"))
    return " " + " ".join(words) + " "


def _by_name(name: str) -> str | None:
    norm = _normalized(name)
    for reason, keys in _KEYWORDS.items():
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


def is_map_link(text: str) -> bool:
    """A URL that opens a map (Яндекс.Карты, Google Maps, 2ГИС, OpenStreetMap...)."""
    try:
        parts = urlsplit(text.strip() if "://" in text else "https://" + text.strip())
    except ValueError:
        return False
    host, path = (parts.hostname or "").lower(), parts.path.lower()
    if not host or "." not in host:
        return False
    if any(h in host for h in _MAP_HOSTS) or host.startswith(_MAP_HOST_PREFIXES):
        return True
    if host == "goo.gl" and path.startswith("/maps"):
        return True
    return ("yandex." in host or "google." in host) and any(path.startswith(p) or p in path for p in _MAP_PATHS)


def looks_personal(text: str) -> bool:
    """Whether free text contains an e-mail, a phone number or a requisite-like number."""
    return bool(_EMAIL.search(text) or _REQUISITE_DIGITS.search(text) or _PHONE.search(text))


def _texts(values: Iterable[Any]) -> list[str]:
    out: list[str] = []
    for item in values or []:
        value = item.get("value") if isinstance(item, dict) else item
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, (str, int)):
            out.append(str(value))
    return out


def classify_values(field: FieldInfo, values: Iterable[Any]) -> str | None:
    """The reason code suggested by what a free-text field's values look like; None if harmless."""
    if field.type not in _FREE_TEXT_TYPES:
        return None
    texts = _texts(values)
    links = texts if field.type == "url" else [u for t in texts for u in _URL.findall(t)]
    if any(is_map_link(u) for u in links):
        return MAP_LINK
    if field.type == "url":
        return None  # links are judged by where they point; a meeting link is not personal
    return LOOKS_PERSONAL if any(looks_personal(t) for t in texts) else None


def classify(field: FieldInfo, values: Iterable[Any] | None = None) -> str | None:
    """The reason code an anonymised copy drops `field` for (metadata first, then values), or None."""
    return classify_field(field) or (classify_values(field, values) if values is not None else None)


def field_reasons(fields: Mapping[int, FieldInfo]) -> dict[int, str]:
    """`{field_id: reason_code}` of every field an anonymised copy drops, known from the metadata.

    For the widget's field tree: such a field is shown unticked and disabled with its reason.
    """
    return {fid: reason for fid, field in fields.items() if (reason := classify_field(field))}
