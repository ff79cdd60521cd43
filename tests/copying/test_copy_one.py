"""Single copies against the emulator (manual 6.1-6.4), made as `POST /copies` makes them: content, source
untouched, request counts."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from amo_emulator.custom_fields import OFFERED_TYPES
from amo_emulator.seed_demo import (
    CATALOGS,
    COMPANIES,
    CONTACTS,
    FIELD,
    MANUAL_LEAD_ID,
    PRICE_FIELD,
    USERS,
    WHOLESALE_PRICE_FIELD,
    pipeline_id,
    status_id,
)
from dealcopy.amo.errors import AmoAmbiguousWrite, AmoUnavailable
from dealcopy.copying import CopyResult, ResponsibleUnavailable, RuleInvalid, SourceNotFound
from dealcopy.copying.reconcile import find_candidates
from dealcopy.usecases.errors import CopyUnfinished

from .conftest import ADMIN, Account, field_values, links_of, rule, without_notes

# Every demo lead field is of a type amoCRM offers on leads, and none of those is read-only in the
# emulator (tracking_data is written like text); refusals are tested in test_refusals.py.
WRITABLE = list(FIELD.values())


def copy_and_check_source(account: Account, source_id: int, copy_rule: Any, actor: int = ADMIN) -> CopyResult:
    """Copy, then prove the source only gained the «Копия сделки» note."""
    before = account.lead(source_id)
    result = account.copy(source_id, copy_rule, actor)
    after = account.lead(source_id)
    assert without_notes(after) == without_notes(before)
    new_notes = after["notes"][len(before["notes"]) :]
    assert after["notes"][: len(before["notes"])] == before["notes"]
    made = account.lead(result.lead_id)["name"]
    # the note names the copy (a person reads names), with its number and link
    assert [n["params"]["text"] for n in new_notes] == [
        f"Копия сделки: «{made}» (#{result.lead_id}) — https://{account.domain}/leads/detail/{result.lead_id}"
    ]
    assert new_notes[0]["note_type"] == "service_message"
    assert new_notes[0]["params"]["service"] == "Копия сделки"
    return result


def assert_fields_equal(source: dict[str, Any], copy: dict[str, Any], field_ids: list[int]) -> None:
    src, dst = field_values(source), field_values(copy)
    for fid in field_ids:
        assert dst.get(fid) == src[fid], fid


def test_6_1_copy_within_the_pipeline(account: Account) -> None:
    account.engine().metadata()
    mark = account.mark()
    copy_rule = rule("Воронка", "Принимают решение", fields=WRITABLE, add_tags=["копия"])
    result = copy_and_check_source(account, MANUAL_LEAD_ID, copy_rule)

    source, copy = account.lead(MANUAL_LEAD_ID), account.lead(result.lead_id)
    assert account.calls(mark) == [
        "GET /api/v4/leads/{id}",
        "POST /api/v4/leads",
        "POST /api/v4/leads/link",
        "POST /api/v4/leads/notes",
    ]
    assert copy["name"] == source["name"]
    target = (pipeline_id("Воронка"), status_id("Воронка", "Принимают решение"))
    assert (copy["pipeline_id"], copy["status_id"]) == target
    assert copy["price"] == source["price"] == result.copied.budget
    assert copy["responsible_user_id"] == source["responsible_user_id"]
    assert [t["name"] for t in copy["_embedded"]["tags"]] == ["VIP", "Опт", "копия"]
    assert_fields_equal(source, copy, WRITABLE)
    assert {f.id for f in result.copied.fields} == set(WRITABLE)
    # Products and the other catalogs keep quantity and price_id.
    assert copy["_embedded"]["catalog_elements"] == source["_embedded"]["catalog_elements"]
    products = {e["id"]: e["metadata"] for e in copy["_embedded"]["catalog_elements"]}
    assert products[1_300_001] == {"quantity": 2, "catalog_id": CATALOGS["Товары"], "price_id": PRICE_FIELD}
    assert products[1_300_002]["price_id"] == WHOLESALE_PRICE_FIELD
    # The main contact stays main, the company comes along.
    contacts = {c["id"]: c["is_main"] for c in copy["_embedded"]["contacts"]}
    assert contacts == {CONTACTS["Виктор Соколов"]: True, CONTACTS["Анна Кузнецова"]: False}
    assert [c["to_entity_id"] for c in links_of(copy, "companies")] == [COMPANIES["Арктик Вест-Сервисес"]]
    assert (result.copied.contacts, result.copied.main_contact_id) == (2, CONTACTS["Виктор Соколов"])
    assert (result.copied.company_id, result.copied.catalog_elements) == (COMPANIES["Арктик Вест-Сервисес"], 4)
    # The copy's note points back at the source, by its name.
    assert [n["params"]["text"] for n in copy["notes"]] == [
        f"Создана из сделки «{source['name']}» (#{MANUAL_LEAD_ID})"
        f" — https://{account.domain}/leads/detail/{MANUAL_LEAD_ID}"
    ]
    assert result.url == f"https://{account.domain}/leads/detail/{result.lead_id}"
    assert result.links_written and result.notes_written


def test_6_2_copy_into_another_pipeline_with_template_and_source_link(account: Account) -> None:
    copy_rule = rule(
        "Яндекс",
        "Первичный контакт",
        name_template="{name} [{pipeline}] от {date}, из #{id}",
        source_link_field_id=FIELD["ТЕЛЕМОСТ"],
        fields=[FIELD["Спецификация"], FIELD["ТЕЛЕМОСТ"], FIELD["Город"]],
    )
    result = copy_and_check_source(account, 24_002_813, copy_rule)
    source, copy = account.lead(24_002_813), account.lead(result.lead_id)
    assert copy["name"] == f"{source['name']} [Яндекс] от 30.08.2025, из #24002813"
    assert (copy["pipeline_id"], copy["status_id"]) == (pipeline_id("Яндекс"), status_id("Яндекс", "Первичный контакт"))
    values = field_values(copy)
    assert values[FIELD["ТЕЛЕМОСТ"]] == [{"value": f"https://{account.domain}/leads/detail/24002813"}]
    assert values[FIELD["Город"]] == field_values(source)[FIELD["Город"]]
    assert set(values) == {FIELD["ТЕЛЕМОСТ"], FIELD["Город"]}  # the source has no «Спецификация»
    assert result.copied.source_link is True
    not_selected = {s.ref for s in result.skipped if s.code == "not_selected" and s.what == "field"}
    assert not_selected == {FIELD["Плательщик"], FIELD["Назначение платежа"], FIELD["Ссылка для присоединения"]} | {
        FIELD["Категория"]
    }


@pytest.mark.parametrize(
    ("responsible", "actor", "expected"),
    [
        ({"mode": "fixed", "user_id": USERS["Виктор"]}, ADMIN, USERS["Виктор"]),
        ({"mode": "actor"}, USERS["Иванов Иван Иванович"], USERS["Иванов Иван Иванович"]),
        ({"mode": "source"}, USERS["Иванов Иван Иванович"], USERS["Дмитрий Артемьевич"]),
    ],
)
def test_6_3_responsible(account: Account, responsible: dict, actor: int, expected: int) -> None:
    result = copy_and_check_source(account, 24_002_813, rule("Support", "Переговоры", responsible=responsible), actor)
    assert account.lead(result.lead_id)["responsible_user_id"] == expected
    assert account.lead(24_002_813)["responsible_user_id"] == USERS["Дмитрий Артемьевич"]


def test_6_4_only_chosen_fields_and_no_products_costs_three_requests(account: Account) -> None:
    chosen = [FIELD["Спецификация"], FIELD["Услуги"], FIELD["Срочно"]]
    copy_rule = rule(fields=chosen, catalogs=[], copy_company=False, copy_budget=False, copy_tags=False)
    account.engine().metadata()
    mark = account.mark()
    result = copy_and_check_source(account, MANUAL_LEAD_ID, copy_rule)
    assert account.calls(mark) == ["GET /api/v4/leads/{id}", "POST /api/v4/leads", "POST /api/v4/leads/notes"]
    copy = account.lead(result.lead_id)
    assert set(field_values(copy)) == set(chosen)
    assert_fields_equal(account.lead(MANUAL_LEAD_ID), copy, chosen)
    assert links_of(copy, "catalog_elements") == [] and links_of(copy, "companies") == []
    assert copy["price"] == 0 and copy["_embedded"]["tags"] == []
    assert len(links_of(copy, "contacts")) == 2
    skipped = {(s.what, s.code) for s in result.skipped}
    assert {("company", "not_selected"), ("budget", "not_selected"), ("tags", "not_selected")} <= skipped
    assert sum(1 for s in result.skipped if s.what == "catalog_element") == 4


def test_every_field_type_is_copied(account: Account) -> None:
    """All 31 fields of lead #24002811, one of every type amoCRM offers on leads, copied in one create."""
    account.engine().metadata()
    mark = account.mark()
    result = account.copy(MANUAL_LEAD_ID, rule(), ADMIN)
    assert account.calls(mark).count("POST /api/v4/leads") == 1
    source, copy = account.lead(MANUAL_LEAD_ID), account.lead(result.lead_id)
    assert_fields_equal(source, copy, WRITABLE)
    assert {f["field_type"] for f in source["custom_fields_values"]} == OFFERED_TYPES["leads"]
    assert [s for s in result.skipped if s.what == "field"] == [] and result.failures == []
    assert {f.id for f in result.copied.fields} == set(WRITABLE) == set(field_values(copy))


def test_field_deleted_after_the_rule_was_made_is_skipped(account: Account) -> None:
    gone = FIELD["Спецификация"]
    copy_rule = rule(fields=[FIELD["Город"], gone], catalogs=[])
    account.ctl.delete_field(account.id, gone)
    result = account.copy(MANUAL_LEAD_ID, copy_rule, ADMIN)
    assert [f.id for f in result.copied.fields] == [FIELD["Город"]]
    (skip,) = [s for s in result.skipped if s.ref == gone]
    assert (skip.what, skip.code) == ("field", "field_deleted")
    assert skip.reason_ru and skip.reason_en


def test_cold_copy_costs_exactly_four_more_requests(account: Account) -> None:
    copy_rule = rule(fields=WRITABLE)
    mark = account.mark()
    account.copy(MANUAL_LEAD_ID, copy_rule, ADMIN)
    cold = account.calls(mark)
    mark = account.mark()
    account.copy(MANUAL_LEAD_ID, copy_rule, ADMIN)
    warm = account.calls(mark)
    assert len(warm) == 4
    assert cold == [
        "GET /api/v4/leads/pipelines",
        "GET /api/v4/users",
        "GET /api/v4/leads/custom_fields",
        "GET /api/v4/catalogs",
        *warm,
    ]


def test_source_not_found(account: Account) -> None:
    engine = account.engine()
    with pytest.raises(SourceNotFound):
        account.copy(99_999_999, rule(), ADMIN, engine=engine)
    account.ctl.delete_lead(account.id, 24_002_812)
    with pytest.raises(SourceNotFound) as caught:
        account.copy(24_002_812, rule(), ADMIN, engine=engine)
    assert caught.value.lead_id == 24_002_812 and "24002812" in caught.value.message_ru
    assert not [e for e in account.requests() if e["method"] == "POST"]


def test_responsible_errors_are_clear_and_write_nothing(account: Account) -> None:
    engine = account.engine()
    with pytest.raises(ResponsibleUnavailable) as caught:
        account.copy(24_002_819, rule(), ADMIN, engine=engine)  # its responsible, Сергей Кузнецов, is deactivated
    assert "деактивирован" in caught.value.message_ru and "deactivated" in caught.value.message_en
    fixed = rule(responsible={"mode": "fixed", "user_id": USERS["Сергей Кузнецов"]})
    with pytest.raises(RuleInvalid) as invalid:
        account.copy(MANUAL_LEAD_ID, fixed, ADMIN, engine=engine)
    assert [p.path for p in invalid.value.problems] == ["responsible.user_id"]
    assert not [e for e in account.requests() if e["method"] == "POST"]


def test_an_ambiguous_create_that_did_not_happen_is_looked_for_then_refused_as_safe_to_retry(account: Account) -> None:
    engine = account.engine()
    engine.metadata()
    account.ctl.add_fault(account.id, kind="504", count=1, path_prefix="/api/v4/leads", method="POST")
    mark = account.mark()
    with pytest.raises(AmoUnavailable) as caught:
        account.copy(MANUAL_LEAD_ID, rule(fields=WRITABLE), ADMIN, engine=engine)
    assert not isinstance(caught.value, AmoAmbiguousWrite) and "retry is safe" in caught.value.reason
    calls = account.calls(mark)
    assert calls.count("POST /api/v4/leads") == 1 and "GET /api/v4/leads" in calls  # settled, then searched


def test_notes_failing_after_the_create_leave_the_copy_unfinished_under_its_key(account: Account) -> None:
    """The copy exists: the caller must finish it with the same key, never create it again."""
    engine = account.engine()
    engine.metadata()
    account.ctl.add_fault(account.id, kind="500", count=5, path_prefix="/api/v4/leads/notes")
    with pytest.raises(CopyUnfinished) as caught:
        account.copy(MANUAL_LEAD_ID, rule(fields=WRITABLE), ADMIN, engine=engine)
    copy = account.lead(caught.value.data["lead_id"])
    assert len(links_of(copy, "catalog_elements")) == 4 and copy["notes"] == []


def test_fractional_budget_rfc3339_date_and_utm_are_kept(account: Account) -> None:
    """The copy keeps what it reads (no int() on the budget, UTM carried, dates as the source had)."""
    fields = [
        {"field_id": FIELD["Дата отгрузки"], "values": [{"value": "2024-05-01T00:00:00+03:00"}]},
        {"field_id": FIELD["utm_source"], "values": [{"value": "google"}]},
    ]
    created = account.api.post(
        "/api/v4/leads", json=[{"name": "Дробный", "price": 1500.5, "custom_fields_values": fields}]
    )
    source_id = created["_embedded"]["leads"][0]["id"]
    chosen = [FIELD["Дата отгрузки"], FIELD["utm_source"]]
    result = copy_and_check_source(account, source_id, rule(fields=chosen, catalogs=[]))
    source, copy = account.lead(source_id), account.lead(result.lead_id)
    assert source["price"] == copy["price"] == result.copied.budget == 1500.5
    assert (
        field_values(copy)[FIELD["Дата отгрузки"]]
        == field_values(source)[FIELD["Дата отгрузки"]]
        == [{"value": 1714510800}]
    )
    assert field_values(copy)[FIELD["utm_source"]] == [{"value": "google"}]
    assert not [s for s in result.skipped if s.ref == FIELD["utm_source"]]


def test_an_uncertain_create_in_the_second_stage_of_a_batch_is_found(account: Account) -> None:
    """A batch targeting stages A and B; the emulator honours only `filter[statuses][0]`.

    Both leads exist (the creates happened though the answer was lost): the reconcile search finds the
    one in stage B too, so it is adopted instead of created twice.
    """
    stages = [rule("Воронка", "Переговоры"), rule("Яндекс", "Первичный контакт")]
    since = account.emulated.leads[MANUAL_LEAD_ID].created_at
    account.ctl.add_fault(account.id, kind="504_after_commit", count=1, method="POST", path="/api/v4/leads")
    body = [{"name": f"copy {i}", "pipeline_id": r.pipeline_id, "status_id": r.status_id} for i, r in enumerate(stages)]
    with pytest.raises(AmoAmbiguousWrite):
        account.api.post("/api/v4/leads", json=body)
    plans = [SimpleNamespace(payload={"pipeline_id": r.pipeline_id, "status_id": r.status_id}) for r in stages]
    found = {(lead["name"], lead["status_id"]) for lead in find_candidates(account.api, plans, since)}
    assert {("copy 0", stages[0].status_id), ("copy 1", stages[1].status_id)} <= found
