"""The field classifier of anonymised copies: by type, code, name and value (manual 6.7)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amo_emulator.seed_demo import LEAD_FIELDS
from dealcopy.copying import anonymise, classify
from dealcopy.copying.anonymise import field_reasons
from dealcopy.copying.metadata import AccountMetadata, FieldInfo
from dealcopy.copying.pii.links import is_map_link
from dealcopy.copying.rules import CopyRule
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


# --- values (judged per copy by `anonymise.decide`) -------------------------------------------

PARTNER = CopyRule(pipeline_id=1, status_id=2, anonymise=True)


def decide(field_info: FieldInfo, value: object):
    return anonymise.decide(PARTNER, field_info, [{"value": value}], "RU", "ru")


WORDS = st.sampled_from(["Монтаж", "стойки", "шт.", "Dell", "R650", "и", "до", "этаж 3", "—", "2025", "42U"])
FILLER = st.lists(WORDS, max_size=4).map(" ".join)


def _digits(n: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=n, max_size=n)


# Valid identifiers (check digits) and 20-digit accounts; a random 10-digit run is an order number.
REQUISITE_NUMBERS = st.sampled_from(["7702456781", "500100732259", "1027700132195", "11223344595"]) | _digits(20)
PHONES = st.builds(
    lambda cc, code, a, b, c, sep: f"{cc}{sep}{code}{sep}{a}{sep}{b}{sep}{c}",
    st.sampled_from(["+7", "8"]),
    st.sampled_from(["909", "916", "495", "342"]),
    _digits(3).filter(lambda d: d[0] not in "01"),
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


@settings(max_examples=150)
@given(FILLER, st.one_of(REQUISITE_NUMBERS, PHONES, EMAILS), FILLER)
def test_a_text_field_holding_requisites_a_phone_or_an_email_is_masked_not_dropped(
    before: str, secret: str, after: str
) -> None:
    value = f"{before}: {secret}, {after}".strip()  # a bare number beside a phone may be read into it (docs)
    plain = field("Комментарий", "textarea")
    assert C.classify_field(plain) is None
    decision = decide(plain, value)
    assert decision.reason is None and decision.kinds
    (masked,) = decision.values
    assert secret not in masked["value"] and masked["value"].startswith(before)


@settings(max_examples=150)
@given(FILLER, st.integers(min_value=0, max_value=99_999_999), st.sampled_from(["", ",5", ".25"]))
def test_short_numbers_dates_and_work_text_are_not_personal(text: str, number: int, fraction: str) -> None:
    plain = field("Комментарий", "text")
    for value in (text, f"{text} {number}{fraction}".strip(), "18.01.2025", "58.0105", "LI-2025-000184"):
        assert decide(plain, value) is None, value


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
def test_map_links_are_dropped_from_url_fields_and_masked_in_text(url: str) -> None:
    assert is_map_link(url)
    assert decide(field("Ссылка", "url"), url).reason == C.MAP_LINK
    in_text = decide(field("Комментарий", "text"), f"Объект: {url} — въезд со двора")
    assert in_text.kinds == ("link",) and url not in in_text.values[0]["value"]
    assert in_text.values[0]["value"].startswith("Объект: ") and in_text.values[0]["value"].endswith(
        " — въезд со двора"
    )


@pytest.mark.parametrize(
    "url",
    ["https://telemost.yandex.ru/161852181", "https://onedrive.live.com/?id=01BYE5", "https://disk.yandex.ru/d/x"],
)
def test_other_links_are_kept(url: str) -> None:
    assert not is_map_link(url)
    assert decide(field("Ссылка", "url"), url) is None
    assert decide(field("Комментарий", "text"), f"Файлы: {url}") is None


def test_chosen_values_are_never_read_as_personal() -> None:
    assert (
        anonymise.decide(PARTNER, field("Вариант", "select"), [{"value": "7702456781", "enum_id": 1}], "RU", "ru")
        is None
    )
    assert decide(field("Дата", "date"), 1_726_790_400) is None
