"""Field definitions and per-type value validation; copying every writable value round-trips.

Each type is exercised on an entity amoCRM offers it on (custom_fields.OFFERED_TYPES): lead types
through ``POST /api/v4/leads``, the others (multitext, price, category, items, payer, supplier,
linked_entity, org_legal_name) through the control API's seeding of contacts, companies and
catalog elements, which validates with the same per-type rules.
"""

from __future__ import annotations

from typing import Any

import pytest

from amo_emulator.control import EmulatorControl
from amo_emulator.custom_fields import API_READ_ONLY_TYPES, FIELD_TYPES, OFFERED_TYPES, is_offered
from amo_emulator.seed_demo import CATALOG_FIELDS, CATALOGS, COMPANY_FIELDS, FIELD, MANUAL_LEAD_ID

from .conftest import Connected, errors_of

CF = "custom_fields_values.0"

# field name -> (values sent, expected error path below custom_fields_values.0, code)
INVALID: list[tuple[str, list[Any], str, str]] = [
    ("Назначение платежа", [{"value": 5}], "values.0.value", "InvalidType"),
    ("Спецификация", [{"value": ["a"]}], "values.0.value", "InvalidType"),
    ("ТЕЛЕМОСТ", [{"value": 1}], "values.0.value", "InvalidType"),
    ("Короткий адрес", [{"value": None}], "values.0.value", "FieldMissing"),
    ("n_long", [{"value": "abc"}], "values.0.value", "InvalidType"),
    ("Цена", [{"value": True}], "values.0.value", "InvalidType"),
    ("Сумма предоплаты", [{"value": [1]}], "values.0.value", "InvalidType"),
    ("Срочно", [{"value": 1}], "values.0.value", "InvalidType"),
    ("Ссылка для присоединения", [{"value": "01.01.2025"}], "values.0.value", "InvalidType"),  # RFC 3339 only
    ("Дата и время встречи", [{"value": 1.5}], "values.0.value", "InvalidType"),
    ("Дата рождения", [{"value": "21 мая 1985"}], "values.0.value", "InvalidType"),
    ("Город", [{"value": "Казань"}], "values.0.value", "NotSupportedChoice"),
    ("Город", [{"enum_id": 1}], "values.0.enum_id", "NotSupportedChoice"),
    ("Город", [{"value": "Пермь", "enum_code": "X"}], "values.0.enum_code", "FieldNotExpected"),
    ("Плательщик", [{"value": "ИП"}], "values.0.value", "NotSupportedChoice"),
    ("Категория", [{"enum_id": 1}], "values.0.enum_id", "NotSupportedChoice"),
    ("Услуги", [{"value": "Монтаж"}, {"enum_id": 999}], "values.1.enum_id", "NotSupportedChoice"),
    ("Телефон менеджера", [{"value": 79000000000}], "values.0.value", "InvalidType"),
    ("Адрес", [{"value": "Пермь", "enum_code": "planet"}], "values.0.enum_code", "NotSupportedChoice"),
    ("Адрес", [{"value": "Пермь"}], "values.0.enum_code", "FieldMissing"),
    ("Юр. лицо", [{"value": "ООО Ромашка"}], "values.0.value", "InvalidType"),
    ("Юр. лицо", [{"value": {"vat_id": "1"}}], "values.0.value.name", "FieldMissing"),
    (
        "Договор",
        [{"value": {"file_uuid": "x", "file_name": "a", "file_size": 1}}],
        "values.0.value.version_uuid",
        "FieldMissing",
    ),
    (
        "Регион/Город",
        [{"catalog_id": 12_001, "catalog_element_id": 1_300_001}],
        "values.0.catalog_id",
        "NotSupportedChoice",
    ),
    (
        "Регион/Город",
        [{"catalog_id": 12_004, "catalog_element_id": 1_300_401}],
        "values.0.catalog_element_id",
        "NotSupportedChoice",
    ),
    ("Город", {"value": "Пермь"}, "values", "InvalidType"),
    ("Город", ["Пермь"], "values.0", "InvalidType"),
]


PHONE, INVOICES, PRODUCTS = {"field_code": "PHONE"}, CATALOGS["Счета/покупки"], CATALOGS["Товары"]
# The types amoCRM keeps off leads, on their own entities: (seed section, item, field, values, path, code).
ELSEWHERE: list[tuple[str, dict[str, Any], dict[str, Any], list[Any], str, str]] = [
    (
        "contacts",
        {"name": "К"},
        PHONE,
        [{"value": "+7900", "enum_code": "PAGER"}],
        "values.0.enum_code",
        "NotSupportedChoice",
    ),
    ("contacts", {"name": "К"}, PHONE, [{"value": 79000000000, "enum_code": "WORK"}], "values.0.value", "InvalidType"),
    (
        "companies",
        {"name": "К"},
        {"field_id": COMPANY_FIELDS["Название организации"]},
        [{"value": 7}],
        "values.0.value",
        "InvalidType",
    ),
    (
        "catalog_elements",
        {"catalog_id": PRODUCTS},
        {"field_id": CATALOG_FIELDS["Цена"]},
        [{"value": True}],
        "values.0.value",
        "InvalidType",
    ),
    (
        "catalog_elements",
        {"catalog_id": PRODUCTS},
        {"field_id": CATALOG_FIELDS["Группа"]},
        [{"enum_id": 1}],
        "values.0.enum_id",
        "NotSupportedChoice",
    ),
    (
        "catalog_elements",
        {"catalog_id": INVOICES},
        {"field_id": CATALOG_FIELDS["Поставщик"]},
        [{"value": {}}],
        "values.0.value.name",
        "FieldMissing",
    ),
    (
        "catalog_elements",
        {"catalog_id": INVOICES},
        {"field_id": CATALOG_FIELDS["Плательщик"]},
        [{"value": {"entity_id": 1}}],
        "values.0.value.name",
        "FieldMissing",
    ),
    (
        "catalog_elements",
        {"catalog_id": INVOICES},
        {"field_id": CATALOG_FIELDS["Позиции"]},
        [{"value": {"unit_price": "дорого"}}],
        "values.0.value.unit_price",
        "InvalidType",
    ),
    (
        "catalog_elements",
        {"catalog_id": PRODUCTS},
        {"field_id": CATALOG_FIELDS["Сопутствующий товар"]},
        [{"value": {"entity_id": 1}}],
        "values.0.value.name",
        "FieldMissing",
    ),
]


def _post_field(demo: Connected, field: dict[str, Any]) -> Any:
    return demo.api.post("/api/v4/leads", json=[{"name": "t", "custom_fields_values": [field]}])


def _seed(ctl: EmulatorControl, demo: Connected, payload: dict[str, Any]) -> Any:
    return ctl.http.post(f"/_emulator/accounts/{demo.id}/seed", json=payload)


def test_definitions_cover_every_type(demo: Connected) -> None:
    fields = demo.api.get("/api/v4/leads/custom_fields", params={"limit": 250}).json()
    assert fields["_total_items"] == len(fields["_embedded"]["custom_fields"])
    types = {f["type"] for f in fields["_embedded"]["custom_fields"]}
    assert types == OFFERED_TYPES["leads"]  # every type amoCRM offers on leads, and only those
    city = demo.api.get(f"/api/v4/leads/custom_fields/{FIELD['Город']}").json()
    assert city["entity_type"] == "leads" and city["account_id"] == demo.id
    assert [e["value"] for e in city["enums"]][:2] == ["Москва", "Санкт-Петербург"]
    keys = [
        "id",
        "name",
        "type",
        "account_id",
        "code",
        "sort",
        "is_api_only",
        "enums",
        "group_id",
        "required_statuses",
        "is_deletable",
        "is_predefined",
        "entity_type",
        "remind",
        "settings",
        "nested",
        "chained_lists",
        "currency",
        "hidden_statuses",
    ]
    assert all(k in city for k in keys)
    money = demo.api.get(f"/api/v4/leads/custom_fields/{FIELD['Сумма предоплаты']}").json()
    assert money["currency"] == "RUB" and money["enums"] is None
    page = demo.api.get("/api/v4/leads/custom_fields", params={"limit": 10, "page": 2}).json()
    assert page["_page"] == 2 and "next" in page["_links"] and len(page["_embedded"]["custom_fields"]) == 10
    assert demo.api.get("/api/v4/leads/custom_fields", params={"limit": 300}).status_code == 422
    phones = demo.api.get("/api/v4/contacts/custom_fields").json()["_embedded"]["custom_fields"]
    phone = next(f for f in phones if f["code"] == "PHONE")
    assert phone["type"] == "multitext" and {e["value"] for e in phone["enums"]} >= {"WORK", "MOB", "HOME"}
    products = demo.api.get("/api/v4/catalogs/12001/custom_fields").json()["_embedded"]["custom_fields"]
    assert {f["type"] for f in products} >= {"price", "text", "category", "linked_entity"}
    invoices = demo.api.get(f"/api/v4/catalogs/{INVOICES}/custom_fields").json()["_embedded"]["custom_fields"]
    assert {f["type"] for f in invoices} >= {"payer", "supplier", "items"}


def test_every_type_lives_in_the_demo_on_an_entity_that_offers_it(demo: Connected) -> None:
    catalogs = {c["id"]: c["type"] for c in demo.api.get("/api/v4/catalogs").json()["_embedded"]["catalogs"]}
    seen: set[str] = set()
    paths = {"leads": "/api/v4/leads", "contacts": "/api/v4/contacts", "companies": "/api/v4/companies"}
    paths |= {f"catalogs/{cid}": f"/api/v4/catalogs/{cid}" for cid in catalogs}
    for where, base in paths.items():
        answer = demo.api.get(f"{base}/custom_fields", params={"limit": 250})
        fields = answer.json()["_embedded"]["custom_fields"] if answer.status_code == 200 else []  # 204: none
        entity, _, catalog = where.partition("/")
        for f in fields:
            assert is_offered(f["type"], entity, catalogs.get(int(catalog)) if catalog else None), (where, f)
        seen |= {f["type"] for f in fields}
    assert seen == set(FIELD_TYPES)


@pytest.mark.parametrize(
    ("section", "entity", "field_type"),
    [
        ("custom_fields", {}, "price"),
        ("custom_fields", {}, "multitext"),
        ("custom_fields", {}, "payer"),
        ("custom_fields", {"entity_type": "contacts"}, "tracking_data"),
        ("catalogs", {"type": "regular"}, "supplier"),
        ("catalogs", {"type": "regular"}, "legal_entity"),
    ],
)
def test_a_type_amocrm_does_not_offer_there_cannot_be_seeded(
    ctl: EmulatorControl, demo: Connected, section: str, entity: dict[str, Any], field_type: str
) -> None:
    spec = {"name": "Не бывает", "type": field_type}
    if section == "catalogs":
        payload = {"catalogs": [{"name": "Справочник", **entity, "custom_fields": [spec]}]}
    else:
        payload = {"custom_fields": [{**spec, **entity}]}
    answer = _seed(ctl, demo, payload)
    assert answer.status_code == 400 and f"offers no {field_type!r}" in answer.json()["error"], answer.text


@pytest.mark.parametrize(
    ("section", "item", "field", "values", "path", "code"), ELSEWHERE, ids=[f"{c[0]}-{c[4]}" for c in ELSEWHERE]
)
def test_invalid_values_of_the_other_entities(
    ctl: EmulatorControl,
    demo: Connected,
    section: str,
    item: dict[str, Any],
    field: dict[str, Any],
    values: list[Any],
    path: str,
    code: str,
) -> None:
    answer = _seed(ctl, demo, {section: [{"name": "x", **item, "custom_fields_values": [{**field, "values": values}]}]})
    assert answer.status_code == 400, answer.text
    errors = answer.json()["validation-errors"][0]["errors"]
    assert {"path": f"{CF}.{path}", "code": code} in [{"path": e["path"], "code": e["code"]} for e in errors], errors


@pytest.mark.parametrize(("name", "values", "path", "code"), INVALID, ids=[f"{c[0]}-{c[2]}" for c in INVALID])
def test_invalid_values(demo: Connected, name: str, values: Any, path: str, code: str) -> None:
    errors = errors_of(_post_field(demo, {"field_id": FIELD[name], "values": values}))[0]["errors"]
    assert {"path": f"{CF}.{path}", "code": code} in [{"path": e["path"], "code": e["code"]} for e in errors], errors


def test_field_level_keys_and_codes(demo: Connected) -> None:
    echo = {"field_id": FIELD["Город"], "field_name": "Город", "values": [{"value": "Пермь"}]}
    assert errors_of(_post_field(demo, echo))[0]["errors"][0] == {
        "code": "FieldNotExpected",
        "path": f"{CF}.field_name",
        "detail": "This field was not expected.",
    }
    # tracking data is written like text (Kommo field reference), by id or by code
    by_code = {"field_code": "UTM_SOURCE", "values": [{"value": "google"}]}
    assert _post_field(demo, by_code).status_code == 200
    assert set(API_READ_ONLY_TYPES) == {"linked_entity"} and not API_READ_ONLY_TYPES & OFFERED_TYPES["leads"]


def test_a_field_seeded_as_refusing_writes_is_refused_by_the_api(ctl: EmulatorControl, demo: Connected) -> None:
    """No lead type is read-only; a seeded flag stands in for a lead field amoCRM might refuse (U)."""
    (field,) = ctl.seed(
        demo.id, {"custom_fields": [{"name": "Формула", "type": "numeric", "refuses_api_writes": True}]}
    )["custom_fields"]
    error = errors_of(_post_field(demo, {"field_id": field["id"], "values": [{"value": 1}]}))[0]["errors"][0]
    assert (error["path"], error["detail"]) == (f"{CF}.field_id", "Field is read-only")
    seeded = ctl.seed(
        demo.id,
        {"leads": [{"name": "s", "custom_fields_values": [{"field_id": field["id"], "values": [{"value": 2}]}]}]},
    )
    assert ctl.lead(demo.id, seeded["leads"][0])["custom_fields_values"][0]["values"] == [{"value": 2}]


def test_copy_every_writable_value_round_trips(demo: Connected) -> None:
    source = demo.api.get(f"/api/v4/leads/{MANUAL_LEAD_ID}").json()
    writable = source["custom_fields_values"]  # no lead type is read-only
    assert {f["field_type"] for f in writable} == OFFERED_TYPES["leads"]
    copy = [{"field_id": f["field_id"], "values": f["values"]} for f in writable]
    # select-like values echo "enum_code": null; amoCRM answered FieldNotExpected for enum_code on a
    # select (Krukov/amocrm_api#68), so a copy sends only what the docs show
    for field in copy:
        if field["values"] and "enum_code" in field["values"][0] and field["values"][0]["enum_code"] is None:
            field["values"] = [{"enum_id": v["enum_id"]} for v in field["values"]]
        if field["values"] and "catalog_element_id" in field["values"][0]:
            field["values"] = [{k: v[k] for k in ("catalog_id", "catalog_element_id")} for v in field["values"]]
    response = demo.api.post("/api/v4/leads", json=[{"name": "Копия", "custom_fields_values": copy}])
    assert response.status_code == 200, response.text
    new_id = response.json()["_embedded"]["leads"][0]["id"]
    copied = demo.api.get(f"/api/v4/leads/{new_id}").json()["custom_fields_values"]
    assert copied == writable


def test_single_value_types_keep_the_first_value(demo: Connected) -> None:
    field = {"field_id": FIELD["Назначение платежа"], "values": [{"value": "a"}, {"value": "b"}]}
    lead_id = _post_field(demo, field).json()["_embedded"]["leads"][0]["id"]
    values = demo.api.get(f"/api/v4/leads/{lead_id}").json()["custom_fields_values"][0]["values"]
    assert values == [{"value": "a"}]
