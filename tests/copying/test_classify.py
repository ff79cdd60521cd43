"""The field classifier of anonymised copies: by type, code, name and value (manual 6.7)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amo_emulator.seed_demo import LEAD_FIELDS
from dealcopy.copying import classify
from dealcopy.copying.anonymise import field_reasons
from dealcopy.copying.metadata import AccountMetadata, FieldInfo
from dealcopy.messages import CATALOG

C = classify


def field(name: str, type_: str = "text", code: str | None = None) -> FieldInfo:
    return FieldInfo(1, name, type_, code)


@pytest.mark.parametrize(
    ("type_", "reason"),
    [
        ("legal_entity", C.REQUISITES),
        ("org_legal_name", C.REQUISITES),
        ("payer", C.REQUISITES),
        ("supplier", C.REQUISITES),
        ("multitext", C.PERSONAL),
        ("birthday", C.PERSONAL),
        ("streetaddress", C.LOCATION),
        ("smart_address", C.LOCATION),
        ("file", C.FILE),
        ("price", C.MONEY),
        ("monetary", C.MONEY),
        ("items", C.MONEY),
        ("tracking_data", C.TRACKING),
        ("linked_entity", C.LINKED_RECORD),
    ],
)
def test_types_that_always_identify_the_client_or_the_money(type_: str, reason: str) -> None:
    assert C.classify_field(field("Поле", type_)) == reason


@pytest.mark.parametrize(
    ("name", "type_", "code", "reason"),
    [
        ("ИНН", "text", None, C.REQUISITES),
        ("ИНН/КПП покупателя", "text", None, C.REQUISITES),
        ("ОГРН", "numeric", None, C.REQUISITES),
        ("БИК банка", "text", None, C.REQUISITES),
        ("Р/с", "text", None, C.REQUISITES),
        ("Расчётный счёт", "text", None, C.REQUISITES),
        ("Корр. счёт", "text", None, C.REQUISITES),
        ("Реквизиты", "textarea", None, C.REQUISITES),
        ("Tax ID", "text", None, C.REQUISITES),
        ("IBAN", "text", None, C.REQUISITES),
        ("Поле", "text", "INN", C.REQUISITES),
        ("Телефон директора", "text", None, C.PERSONAL),
        ("E-mail для счетов", "text", None, C.PERSONAL),
        ("ФИО получателя", "text", None, C.PERSONAL),
        ("Дата рождения", "date", None, C.PERSONAL),
        ("Passport", "text", None, C.PERSONAL),
        ("Поле", "text", "PHONE", C.PERSONAL),
        ("Адрес доставки", "text", None, C.LOCATION),
        ("Координаты", "text", None, C.LOCATION),
        ("Широта", "numeric", None, C.LOCATION),
        ("Долгота", "numeric", None, C.LOCATION),
        ("n_lat", "numeric", None, C.LOCATION),
        ("n_long", "numeric", None, C.LOCATION),
        ("lng", "numeric", None, C.LOCATION),
        ("Delivery address", "text", None, C.LOCATION),
        ("Яндекс.Карта", "url", None, C.MAP_LINK),
        ("Map", "url", None, C.MAP_LINK),
        ("Сумма договора", "numeric", None, C.MONEY),
        ("Стоимость работ", "text", None, C.MONEY),
        ("Назначение платежа", "text", None, C.MONEY),
        ("Скидка, %", "numeric", None, C.MONEY),
        ("Budget", "numeric", None, C.MONEY),
    ],
)
def test_names_and_codes_in_russian_and_english(name: str, type_: str, code: str | None, reason: str) -> None:
    assert C.classify_field(field(name, type_, code)) == reason


@pytest.mark.parametrize(
    ("name", "type_"),
    [
        ("Спецификация", "textarea"),
        ("ТЕЛЕМОСТ", "url"),
        ("Трек-номер LiveInform", "text"),
        ("OneDrive ID", "text"),
        ("Дата отгрузки", "date"),
        ("Плательщик", "radiobutton"),  # a kind of payer (ФЛ/ЮЛ), picked from a list
        ("Город", "select"),
        ("Срочно", "checkbox"),
        ("Инновации", "text"),  # "инн" only as a whole word
        ("Longevity", "text"),
    ],
)
def test_work_fields_are_kept(name: str, type_: str) -> None:
    assert C.classify_field(field(name, type_)) is None


def test_every_reason_has_both_languages_in_the_catalog() -> None:
    for reason in (*C.REASONS, "anonymised-excluded", "anonymised-products-carry-prices", "field-not-writable"):
        ru, en = CATALOG[reason]
        assert ru and en


def test_the_demo_fields_that_identify_the_client_are_known_before_any_lead_is_read() -> None:
    fields = {fid: FieldInfo(fid, name, t, extra.get("code")) for name, (fid, t, extra) in LEAD_FIELDS.items()}
    reasons = field_reasons(AccountMetadata({}, {}, fields, {}), extra_field_ids=[LEAD_FIELDS["Спецификация"][0]])
    by_name = {name: reasons.get(fid) for name, (fid, _, _) in LEAD_FIELDS.items()}
    assert by_name["ИНН"] == C.REQUISITES and by_name["n_lat"] == C.LOCATION and by_name["n_long"] == C.LOCATION
    assert by_name["Яндекс.Карта"] == C.MAP_LINK and by_name["Договор"] == C.FILE and by_name["Цена"] == C.MONEY
    assert by_name["Спецификация"] == "anonymised-excluded"
    assert by_name["Услуги"] is None and by_name["ТЕЛЕМОСТ"] is None


# --- values ---------------------------------------------------------------------------------

WORDS = st.sampled_from(["Монтаж", "стойки", "шт.", "Dell", "R650", "и", "до", "этаж 3", "—", "2025", "42U"])
FILLER = st.lists(WORDS, max_size=4).map(" ".join)


def _digits(n: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=n, max_size=n)


REQUISITE_NUMBERS = st.one_of(*[_digits(n) for n in (9, 10, 12, 13, 15, 20)])
PHONES = st.builds(
    lambda cc, a, b, c, d, sep: f"{cc}{sep}{a}{sep}{b}{sep}{c}{sep}{d}",
    st.sampled_from(["+7", "8", "+375", "+44"]),
    _digits(3),
    _digits(3),
    _digits(2),
    _digits(2),
    st.sampled_from(["", " ", "-"]),
)
EMAILS = st.builds(
    lambda user, host, tld: f"{user}@{host}.{tld}",
    st.text(alphabet="abcdefxyz._-0123", min_size=1, max_size=10).filter(lambda u: u[0].isalnum()),
    st.text(alphabet="abcdexyz-", min_size=1, max_size=10).filter(lambda h: h[0].isalpha()),
    st.sampled_from(["ru", "com", "рф", "co.uk"]),
)


@settings(derandomize=True, max_examples=150, deadline=None)
@given(FILLER, st.one_of(REQUISITE_NUMBERS, PHONES, EMAILS), FILLER)
def test_an_unknown_text_field_holding_requisites_a_phone_or_an_email_is_personal(
    before: str, secret: str, after: str
) -> None:
    value = f"{before} {secret} {after}".strip()
    plain = field("Комментарий", "textarea")
    assert C.classify_field(plain) is None
    assert C.classify(plain, [{"value": value}]) == C.LOOKS_PERSONAL


@settings(derandomize=True, max_examples=150, deadline=None)
@given(FILLER, st.integers(min_value=0, max_value=99_999_999), st.sampled_from(["", ",5", ".25"]))
def test_short_numbers_dates_and_work_text_are_not_personal(text: str, number: int, fraction: str) -> None:
    plain = field("Комментарий", "text")
    for value in (text, f"{text} {number}{fraction}".strip(), "18.01.2025", "58.0105", "LI-2025-000184"):
        assert C.classify(plain, [{"value": value}]) is None, value


@pytest.mark.parametrize(
    "url",
    [
        "https://yandex.ru/maps/-/CDdkZ0~i",
        "https://yandex.com.tr/maps/?ll=37.6,55.7",
        "https://maps.yandex.ru/?text=Пермь",
        "https://www.google.com/maps/place/Perm",
        "https://maps.google.com/?q=58.01,56.22",
        "https://goo.gl/maps/abc",
        "https://maps.app.goo.gl/abc",
        "https://2gis.ru/perm/firm/123",
        "https://www.openstreetmap.org/#map=15/58.0/56.2",
        "yandex.ru/maps/org/123",
    ],
)
def test_map_links_are_dropped_from_any_url_or_text_field(url: str) -> None:
    assert C.is_map_link(url)
    assert C.classify(field("Ссылка", "url"), [{"value": url}]) == C.MAP_LINK
    assert C.classify(field("Комментарий", "text"), [{"value": url}]) == C.MAP_LINK


@pytest.mark.parametrize(
    "url",
    ["https://telemost.yandex.ru/161852181", "https://onedrive.live.com/?id=01BYE5", "https://disk.yandex.ru/d/x"],
)
def test_other_links_are_kept(url: str) -> None:
    assert not C.is_map_link(url)
    assert C.classify(field("Ссылка", "url"), [{"value": url}]) is None


def test_chosen_values_are_never_read_as_personal() -> None:
    assert C.classify(field("Вариант", "select"), [{"value": "7702456781", "enum_id": 1}]) is None
    assert C.classify(field("Дата", "date"), [{"value": 1_726_790_400}]) is None
