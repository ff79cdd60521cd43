"""Field rules (set, clear, template, map) per field type, against the emulator: what the copy holds,
what the rule check refuses (with paths), preview = copy, and the warm cost of a copy."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amo_emulator.seed_demo import FIELD, MANUAL_LEAD_ID
from dealcopy.copying import AccountMetadata, RuleInvalid, parse_rule, validate_rule
from dealcopy.copying.naming import zone
from dealcopy.copying.rules import canonical_rule
from dealcopy.storage.presets import PresetRepository
from dealcopy.usecases.preview import PreviewRequest, preview_copy
from dealcopy.usecases.rules import RuleBook

from .conftest import ADMIN, Account, field_values, rule

TARGET = rule().model_dump(include={"pipeline_id", "status_id"})
MSK_2025_09_01 = int(datetime(2025, 8, 31, 21, 0, tzinfo=UTC).timestamp())  # 01.09.2025 00:00 in Moscow


def enum(metadata: AccountMetadata, field: str, text: str) -> int:
    return metadata.fields[FIELD[field]].enum_id_of(text)


@pytest.fixture
def metadata(account: Account) -> AccountMetadata:
    return account.engine().metadata()


def copied(account: Account, field_rules: list[dict[str, Any]], **options: Any) -> dict[int, list[dict[str, Any]]]:
    result = account.copy(MANUAL_LEAD_ID, rule(field_rules=field_rules, **options), ADMIN)
    return field_values(account.lead(result.lead_id))


def enum_ids(values: list[dict[str, Any]]) -> list[int]:
    return [v["enum_id"] for v in values]


# --- set, per kind of field ---------------------------------------------------------------------


def test_set_writes_each_type_as_it_takes_values(account: Account, metadata: AccountMetadata) -> None:
    renewal = enum(metadata, "Категория", "Услуги")
    services = [enum(metadata, "Услуги", "Обучение"), enum(metadata, "Услуги", "Доставка")]
    got = copied(
        account,
        [
            {"field_id": FIELD["Назначение платежа"], "set": "Продление"},
            {"field_id": FIELD["Спецификация"], "set": "Новая спецификация"},
            {"field_id": FIELD["ТЕЛЕМОСТ"], "set": "https://example.com/x"},
            {"field_id": FIELD["Скидка, %"], "set": 15},
            {"field_id": FIELD["Сумма предоплаты"], "set": "1200.50"},
            {"field_id": FIELD["Срочно"], "set": False},
            {"field_id": FIELD["Дата отгрузки"], "set": "2025-09-01"},
            {"field_id": FIELD["Ссылка для присоединения"], "set": 1_700_000_000},
            {"field_id": FIELD["Дата и время встречи"], "set": 1_700_003_600},
            {"field_id": FIELD["Категория"], "set": renewal},
            {"field_id": FIELD["Плательщик"], "set": enum(metadata, "Плательщик", "ФЛ")},
            {"field_id": FIELD["Услуги"], "set": services},
        ],
    )
    assert got[FIELD["Назначение платежа"]][0]["value"] == "Продление"
    assert got[FIELD["Спецификация"]][0]["value"] == "Новая спецификация"
    assert got[FIELD["ТЕЛЕМОСТ"]][0]["value"] == "https://example.com/x"
    assert float(got[FIELD["Скидка, %"]][0]["value"]) == 15
    assert float(got[FIELD["Сумма предоплаты"]][0]["value"]) == 1200.5
    assert got[FIELD["Срочно"]][0]["value"] is False
    assert got[FIELD["Дата отгрузки"]][0]["value"] == MSK_2025_09_01
    assert got[FIELD["Ссылка для присоединения"]][0]["value"] == 1_700_000_000
    assert got[FIELD["Дата и время встречи"]][0]["value"] == 1_700_003_600
    assert enum_ids(got[FIELD["Категория"]]) == [renewal]
    assert got[FIELD["Плательщик"]][0]["value"] == "ФЛ"
    assert enum_ids(got[FIELD["Услуги"]]) == services


def test_clear_leaves_fields_empty_whatever_their_type(account: Account) -> None:
    cleared = ["Назначение платежа", "Спецификация", "n_long", "Цена", "Срочно", "Ссылка для присоединения"]
    cleared += ["Услуги", "Категория", "Плательщик", "Адрес", "Договор", "Регион/Город"]
    result = account.copy(
        MANUAL_LEAD_ID, rule(field_rules=[{"field_id": FIELD[n], "clear": True} for n in cleared]), ADMIN
    )
    got = field_values(account.lead(result.lead_id))
    source = field_values(account.lead(MANUAL_LEAD_ID))
    assert all(FIELD[n] in source and FIELD[n] not in got for n in cleared)
    assert FIELD["Город"] in got  # the others are carried as before
    skips = {s.ref: s for s in result.skipped}
    assert all(skips[FIELD[n]].code == "cleared" and not skips[FIELD[n]].failure for n in cleared)
    assert not {f.id for f in result.copied.fields} & {FIELD[n] for n in cleared}


def test_template_renders_placeholders_and_source_fields(account: Account) -> None:
    got = copied(
        account,
        [
            {"field_id": FIELD["Назначение платежа"], "template": "{name} / {date} / #{id}{n}"},
            {
                "field_id": FIELD["Спецификация"],
                "template": "{source.1100005}: {source.1100022}, {source.1100021}, {source.1100035}",
            },
        ],
    )
    name = account.lead(MANUAL_LEAD_ID)["name"]
    assert got[FIELD["Назначение платежа"]][0]["value"] == f"{name} / 30.08.2025 / #{MANUAL_LEAD_ID}"
    shipped = field_values(account.lead(MANUAL_LEAD_ID))[FIELD["Дата отгрузки"]][0]["value"]
    shipped_on = datetime.fromtimestamp(shipped, zone("Europe/Moscow")).strftime("%d.%m.%Y")
    assert got[FIELD["Спецификация"]][0]["value"] == f"LI-2025-000184: Оборудование, Монтаж, Настройка, {shipped_on}"


def test_template_in_an_anonymised_copy_masks_what_it_pulls_in(account: Account) -> None:
    template = "ИНН {source.1100017}; трек {source.1100005}; {name}"
    field_rules = [{"field_id": FIELD["Назначение платежа"], "template": template}]
    result = account.copy(MANUAL_LEAD_ID, rule(field_rules=field_rules, anonymise=True), ADMIN)
    copy = account.lead(result.lead_id)
    value = field_values(copy)[FIELD["Назначение платежа"]][0]["value"]
    assert value == f"ИНН ; трек LI-2025-000184; {copy['name']}"
    assert "7702456781" not in value and "Арктик" not in value


def test_map_replaces_listed_options_and_carries_the_rest(account: Account, metadata: AccountMetadata) -> None:
    training, setup, mounting = (enum(metadata, "Услуги", t) for t in ("Обучение", "Настройка", "Монтаж"))
    software = enum(metadata, "Категория", "Программное обеспечение")
    got = copied(
        account,
        [
            {"field_id": FIELD["Категория"], "map": {str(enum(metadata, "Категория", "Оборудование")): software}},
            {"field_id": FIELD["Услуги"], "map": {mounting: training}},
            {"field_id": FIELD["Город"], "map": {enum(metadata, "Город", "Москва"): enum(metadata, "Город", "Пермь")}},
            {
                "field_id": FIELD["Плательщик"],
                "map": {enum(metadata, "Плательщик", "ЮЛ"): enum(metadata, "Плательщик", "ФЛ")},
            },
        ],
    )
    assert enum_ids(got[FIELD["Категория"]]) == [software]
    assert enum_ids(got[FIELD["Услуги"]]) == [training, setup]
    assert got[FIELD["Плательщик"]][0]["value"] == "ФЛ"
    assert got[FIELD["Город"]][0]["value"] == "Пермь"  # unmapped: carried as it was


# --- the check (400 with a path) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("field_rule", "path", "code"),
    [
        ({"field_id": 999, "set": "x"}, "field_rules[0].field_id", "rule-field-not-found"),
        ({"field_id": FIELD["Категория"], "set": "Услуги"}, "field_rules[0].set", "field-rule-expects-enum"),
        ({"field_id": FIELD["Категория"], "set": 1}, "field_rules[0].set", "field-rule-expects-enum"),
        ({"field_id": FIELD["Услуги"], "set": [1, 2]}, "field_rules[0].set", "field-rule-expects-enums"),
        ({"field_id": FIELD["Скидка, %"], "set": "много"}, "field_rules[0].set", "field-rule-expects-number"),
        ({"field_id": FIELD["Срочно"], "set": "да"}, "field_rules[0].set", "field-rule-expects-bool"),
        ({"field_id": FIELD["Дата отгрузки"], "set": "01.09.2025"}, "field_rules[0].set", "field-rule-expects-date"),
        ({"field_id": FIELD["Назначение платежа"], "set": 5}, "field_rules[0].set", "field-rule-expects-text"),
        ({"field_id": FIELD["Назначение платежа"], "set": " "}, "field_rules[0].set", "field-rule-expects-text"),
        ({"field_id": FIELD["Договор"], "set": "x"}, "field_rules[0].set", "field-rule-cannot-set"),
        (
            {"field_id": FIELD["Категория"], "template": "{name}"},
            "field_rules[0].template",
            "field-rule-template-not-text",
        ),
        (
            {"field_id": FIELD["Спецификация"], "template": "{source.999}"},
            "field_rules[0].template",
            "rule-field-not-found",
        ),
        ({"field_id": FIELD["Спецификация"], "map": {1: 2}}, "field_rules[0].map", "field-rule-map-not-list"),
        ({"field_id": FIELD["Категория"], "map": {1: 2}}, "field_rules[0].map", "field-rule-option-not-found"),
    ],
)
def test_field_rules_that_do_not_fit_the_account_are_refused_with_a_path(
    metadata: AccountMetadata, field_rule: dict, path: str, code: str
) -> None:
    with pytest.raises(RuleInvalid) as err:
        validate_rule(parse_rule({**TARGET, "field_rules": [field_rule]}), metadata)
    assert [(p.path, p.code) for p in err.value.problems] == [(path, code)]
    assert all(p.message_ru and p.message_en for p in err.value.problems)


@pytest.mark.parametrize(
    ("field_rules", "path", "code"),
    [
        ([{"field_id": 1, "set": "x", "clear": True}], "field_rules[0]", "field-rule-one-action"),
        ([{"field_id": 1}], "field_rules[0]", "field-rule-one-action"),
        ([{"field_id": 1, "clear": False}], "field_rules[0].clear", "rule-unexpected-value"),
        ([{"field_id": 1, "template": "{nam}"}], "field_rules[0].template", "template-unknown-placeholder"),
        (
            [{"field_id": 1, "clear": True}, {"field_id": 1, "set": 2}],
            "field_rules[1].field_id",
            "field-rule-duplicate",
        ),
        ([{"field_id": 1, "set": {"a": 1}}], "field_rules[0].set", "rule-unexpected-value"),
    ],
)
def test_field_rule_shapes_are_refused_with_a_path(field_rules: list, path: str, code: str) -> None:
    with pytest.raises(RuleInvalid) as err:
        parse_rule({**TARGET, "field_rules": field_rules})
    assert [p.path for p in err.value.problems] == [path]
    assert err.value.problems[0].code == code or code == "rule-unexpected-value"


_json = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 2_000_100) | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)
_field_rule = st.fixed_dictionaries(
    {"field_id": st.sampled_from([*FIELD.values(), 999]) | st.integers()},
    optional={
        "set": _json,
        "clear": st.booleans(),
        "template": st.text(max_size=20) | st.sampled_from(["{name}", "{source.1100005}", "{x}"]),
        "map": st.dictionaries(st.integers(0, 3_000_000).map(str), st.integers(0, 3_000_000), max_size=2) | _json,
    },
)


@settings(  # the fixture only reads metadata, so one instance can serve every example
    max_examples=300, suppress_health_check=[*settings().suppress_health_check, HealthCheck.function_scoped_fixture]
)
@given(st.lists(_field_rule, max_size=3))
def test_any_field_rules_either_pass_or_are_refused_with_field_rule_paths(
    metadata: AccountMetadata, rules: list
) -> None:
    """Whatever JSON arrives, the check ends in a valid rule or in problems under `field_rules[i]`."""
    try:
        parsed = parse_rule({**TARGET, "field_rules": rules})
        validate_rule(parsed, metadata)
    except RuleInvalid as err:
        assert err.problems
        assert all(p.path.startswith("field_rules[") for p in err.problems), err.problems
        return
    assert parse_rule(canonical_rule(parsed)) == parsed  # a valid rule survives its canonical text


# --- preview = copy, and the cost ---------------------------------------------------------------


def test_preview_shows_each_field_as_the_copy_holds_it(account: Account, metadata: AccountMetadata) -> None:
    field_rules = [
        {"field_id": FIELD["Назначение платежа"], "template": "{name} / {date}"},
        {"field_id": FIELD["Цена"], "clear": True},
        {"field_id": FIELD["Скидка, %"], "set": 7},
        {
            "field_id": FIELD["Категория"],
            "map": {enum(metadata, "Категория", "Оборудование"): enum(metadata, "Категория", "Услуги")},
        },
        {"field_id": FIELD["Дата отгрузки"], "set": "2025-09-01"},
    ]
    copy_rule = rule(field_rules=field_rules)
    engine = account.engine()
    book = RuleBook(account.id, PresetRepository(account.aws.table("PresetsTable")), engine)
    request = PreviewRequest(lead_id=MANUAL_LEAD_ID, rule=parse_rule(canonical_rule(copy_rule)).model_dump(mode="json"))
    preview = preview_copy(request, ADMIN, rules=book)
    result = account.copy(MANUAL_LEAD_ID, copy_rule, ADMIN)
    held = field_values(account.lead(result.lead_id))
    shown = {f["field_id"]: f["values"] for f in preview["fields"]}
    assert shown[FIELD["Цена"]] == [] and FIELD["Цена"] not in held
    assert {fid for fid, values in shown.items() if values} == set(held)
    for fid, values in held.items():  # amoCRM echoes more keys (names, texts); each written one is as shown
        assert len(values) == len(shown[fid]), fid
        assert [{k: item.get(k) for k in want} for item, want in zip(values, shown[fid], strict=True)] == shown[fid]
    assert shown[FIELD["Скидка, %"]] == [{"value": 7}]


def test_a_copy_with_field_rules_still_costs_four_requests_warm(account: Account) -> None:
    copy_rule = rule(
        field_rules=[
            {"field_id": FIELD["Назначение платежа"], "template": "{name} {source.1100005}"},
            {"field_id": FIELD["Цена"], "clear": True},
            {"field_id": FIELD["Скидка, %"], "set": 3},
        ]
    )
    account.copy(MANUAL_LEAD_ID, copy_rule, ADMIN)
    mark = account.mark()
    account.copy(MANUAL_LEAD_ID, copy_rule, ADMIN)
    assert len(account.calls(mark)) <= 4
