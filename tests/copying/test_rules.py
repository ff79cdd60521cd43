"""The copy rule: shape validation with paths, checks against account metadata, name templates, metadata cache."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from amo_emulator.seed_demo import CATALOGS, FIELD, USERS, pipeline_id, status_id
from dealcopy.copying import AccountMetadata, CopyRule, MetadataCache, RuleInvalid, parse_rule, validate_rule
from dealcopy.copying.naming import render_name

from .conftest import Account, rule


def paths(err: RuleInvalid) -> list[str]:
    return [p.path for p in err.problems]


def problems_of(data: dict) -> RuleInvalid:
    with pytest.raises(RuleInvalid) as caught:
        parse_rule(data)
    for problem in caught.value.problems:
        assert problem.message_ru and problem.message_en
    return caught.value


BASE = {"pipeline_id": pipeline_id("Воронка"), "status_id": status_id("Воронка", "Переговоры")}


def test_rule_json_shape_round_trips() -> None:
    data = {
        **BASE,
        "responsible": {"mode": "fixed", "user_id": USERS["Виктор"]},
        "name_template": "{name} — копия от {date}",
        "copy_budget": False,
        "fields": [FIELD["Спецификация"], FIELD["Услуги"]],
        "catalogs": [CATALOGS["Товары"]],
        "add_tags": [" копия ", "копия", ""],
    }
    parsed = parse_rule(data)
    assert parsed.add_tags == ["копия"]
    assert parse_rule(parsed.model_dump_json()) == parsed
    assert CopyRule(**BASE).fields == "all"


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"fields": [1, "x"]}, "fields[1]"),
        ({"catalogs": "some"}, "catalogs"),
        ({"pipeline_id": None}, "pipeline_id"),
        ({"colour": "red"}, "colour"),
        ({"responsible": {"mode": "fixed"}}, "responsible.user_id"),
        ({"responsible": {"mode": "boss"}}, "responsible.mode"),
        ({"name_template": "{name} {client}"}, "name_template"),
        ({"name_template": "{name"}, "name_template"),
        ({"name_template": "{name.__class__}"}, "name_template"),
        ({"anonymise": True, "name_template": "Копия: {name}"}, "name_template"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
    ],
)
def test_shape_problems_carry_paths(change: dict, path: str) -> None:
    assert paths(problems_of({**BASE, **change})) == [path]


def test_missing_target_reports_both_paths() -> None:
    assert sorted(paths(problems_of({}))) == ["pipeline_id", "status_id"]


def test_not_json_is_a_rule_problem() -> None:
    with pytest.raises(RuleInvalid):
        parse_rule("{not json")


@pytest.fixture
def metadata(account: Account) -> AccountMetadata:
    return account.engine().metadata()


@pytest.mark.parametrize(
    ("options", "path", "stale"),
    [
        ({"pipeline_id": 1}, "pipeline_id", False),
        ({"status_id": status_id("Support", "Переговоры")}, "status_id", False),
        ({"status_id": status_id("Воронка", "Неразобранное")}, "status_id", False),
        ({"responsible": {"mode": "fixed", "user_id": 42}}, "responsible.user_id", False),
        ({"responsible": {"mode": "fixed", "user_id": USERS["Сергей Кузнецов"]}}, "responsible.user_id", False),
        ({"fields": [FIELD["Город"], FIELD["Услуги"], 999]}, "fields[2]", True),
        ({"anonymise_extra_field_ids": [999]}, "anonymise_extra_field_ids[0]", True),
        ({"catalogs": [CATALOGS["Товары"], 77]}, "catalogs[1]", True),
        ({"source_link_field_id": FIELD["Трек-номер LiveInform"]}, "source_link_field_id", False),
        ({"source_link_field_id": 999}, "source_link_field_id", True),
    ],
)
def test_checks_against_the_account(metadata: AccountMetadata, options: dict, path: str, stale: bool) -> None:
    data = {**BASE, **options}
    problems = CopyRule(**data).check(metadata)
    assert [(p.path, p.stale) for p in problems] == [(path, stale)]
    assert all(p.message_ru and p.message_en for p in problems)


def test_deactivated_fixed_user_is_a_clear_error(metadata: AccountMetadata) -> None:
    fixed = CopyRule(**BASE, responsible={"mode": "fixed", "user_id": USERS["Сергей Кузнецов"]})
    with pytest.raises(RuleInvalid) as caught:
        validate_rule(fixed, metadata, allow_stale=True)
    assert "деактивирован" in caught.value.message_ru
    assert "deactivated" in caught.value.message_en


def test_valid_rules_pass(metadata: AccountMetadata) -> None:
    for options in (
        {},
        {"status_id": 142},
        {"status_id": 143},
        {"source_link_field_id": FIELD["ТЕЛЕМОСТ"], "responsible": {"mode": "actor"}},
    ):
        assert CopyRule(**{**BASE, **options}).check(metadata) == []
    assert rule("Логистика", "Отгружено").check(metadata) == []


def test_name_template_placeholders() -> None:
    now = datetime(2025, 1, 24, 22, 30, tzinfo=UTC)  # already 25.01 in Moscow
    kwargs = {"name": "Поставка", "lead_id": 24002811, "pipeline": "Логистика", "now": now}
    text = render_name("{name} #{id} → {pipeline}, {date} {{x}}", tz="Europe/Moscow", **kwargs)
    assert text == "Поставка #24002811 → Логистика, 25.01.2025 {x}"
    assert render_name("{date}", tz="UTC", **kwargs) == "24.01.2025"
    assert len(render_name("{name}" * 100, tz="UTC", **kwargs)) == 255


def test_metadata_cache_ttl_with_injected_clock(metadata: AccountMetadata) -> None:
    now = [1000.0]
    loads = []
    cache = MetadataCache(ttl=300, clock=lambda: now[0])

    def load() -> AccountMetadata:
        loads.append(now[0])
        return metadata

    assert cache.get("a", load) is metadata
    now[0] += 299
    cache.get("a", load)
    cache.get("b", load)
    assert loads == [1000.0, 1299.0]
    now[0] += 1
    cache.get("a", load)
    assert loads == [1000.0, 1299.0, 1300.0]
    cache.invalidate("a")
    assert cache.peek("a") is None
