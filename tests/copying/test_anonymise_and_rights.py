"""Anonymised copies leak nothing (manual 6.7); rights are checked before any write (manual 7)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from amo_emulator.seed_demo import CATALOGS, FIELD, MANUAL_LEAD_ID, USERS
from dealcopy.copying import CopyForbidden

from .conftest import ADMIN, Account, field_values, links_of, rule
from .leaves import strings, sums

SENSITIVE_TYPES = {"legal_entity", "supplier", "payer", "org_legal_name", "multitext", "streetaddress"}
MONEY_TYPES = {"price", "monetary", "items"}


def secrets_of(account: Account, source: dict[str, Any]) -> tuple[set[str], set[float]]:
    """Every phone, e-mail, contact/company name, legal-entity datum and sum the source carries."""
    state = account.ctl.state(account.id)
    contact_ids = {c["id"] for c in source["_embedded"]["contacts"]}
    company_ids = {c["to_entity_id"] for c in links_of(source, "companies")}
    people = [c for c in state["contacts"] if c["id"] in contact_ids]
    people += [c for c in state["companies"] if c["id"] in company_ids]
    texts = {p["name"] for p in people} | {s for p in people for s in strings(p["custom_fields_values"])}
    amounts = {float(source["price"])}
    for field in source["custom_fields_values"]:
        if field["field_type"] in SENSITIVE_TYPES:
            texts |= {s for s in strings(field["values"]) if len(s) >= 6}
        if field["field_type"] in MONEY_TYPES:
            amounts |= sums(field["values"]) - {1.0, 2.0, 5.0, 0.0}  # item quantities/discounts are not sums
    texts |= set(strings(field_values(source)[FIELD["ИНН"]]))
    return texts, amounts


def test_anonymised_copy_leaks_nothing(account: Account) -> None:
    copy_rule = rule(
        "Партнёры",
        "Новая заявка",
        anonymise=True,
        name_template="Заявка партнёру #{id} ({pipeline})",
        anonymise_extra_field_ids=[FIELD["ИНН"]],
        add_tags=["партнёр"],
    )
    result = account.copy(MANUAL_LEAD_ID, copy_rule, ADMIN)
    source, copy = account.lead(MANUAL_LEAD_ID), account.lead(result.lead_id)
    texts, amounts = secrets_of(account, source)
    assert {"+79091234567", "a.kuznetsova@arctic-west.ru", "Виктор Соколов", "7702456781", "770201001"} <= texts
    assert {100.0, 50000.0} <= amounts  # order lines (items) live on the linked invoice: test_anonymised_scan.py

    dump = json.dumps(copy, ensure_ascii=False) + result.model_dump_json()
    assert [t for t in texts if t in dump] == []
    assert "Арктик" not in dump
    assert copy["price"] == 0
    assert sums([f["values"] for f in copy["custom_fields_values"]]) & amounts == set()
    assert copy["name"] == "Заявка партнёру #24002811 (Партнёры)"
    assert [t["name"] for t in copy["_embedded"]["tags"]] == ["партнёр"]
    assert links_of(copy, "contacts") == [] and links_of(copy, "companies") == []
    assert links_of(copy, "catalog_elements") == []  # products are off unless the rule names them
    # the source's name is personal data too: the anonymised copy's note gives only its number
    assert [n["params"]["text"] for n in copy["notes"]] == [
        f"Создана из сделки #{MANUAL_LEAD_ID} — https://{account.domain}/leads/detail/{MANUAL_LEAD_ID}"
    ]
    kept = {f["field_type"] for f in copy["custom_fields_values"]}
    assert kept.isdisjoint(SENSITIVE_TYPES | MONEY_TYPES | {"birthday", "smart_address", "tracking_data", "file"})
    assert {"textarea", "select", "multiselect", "chained_list"} <= kept
    reasons = {(s.what, s.ref): s.reason for s in result.skipped if s.code == "anonymised"}
    assert {("contacts", None), ("company", None), ("budget", None), ("tags", None)} <= reasons.keys()
    assert reasons[("field", FIELD["ИНН"])] == "anonymised-excluded"
    assert reasons[("field", FIELD["Юр. лицо"])] == "anonymised-requisites"
    assert reasons[("field", FIELD["n_lat"])] == "anonymised-location"
    assert reasons[("field", FIELD["Яндекс.Карта"])] == "anonymised-map-link"
    assert reasons[("field", FIELD["Договор"])] == "anonymised-file"
    assert reasons[("catalog_element", 1_300_101)] == "anonymised-catalog"
    assert reasons[("catalog_element", 1_300_001)] == "anonymised-products-off"
    assert all(s.reason_ru.startswith("обезличенная копия") for s in result.skipped if s.code == "anonymised")
    assert result.copied.budget is None and result.copied.contacts == 0 and result.copied.catalog_elements == 0
    assert result.warnings == [] and result.failures == []


def test_anonymised_copy_with_products_chosen_explicitly_warns_of_their_prices(account: Account) -> None:
    copy_rule = rule(
        "Партнёры", "Новая заявка", anonymise=True, catalogs=[CATALOGS["Товары"], CATALOGS["Мои юр. лица"]]
    )
    result = account.copy(MANUAL_LEAD_ID, copy_rule, ADMIN)
    copy = account.lead(result.lead_id)
    assert {ln["metadata"]["catalog_id"] for ln in links_of(copy, "catalog_elements")} == {CATALOGS["Товары"]}
    assert result.copied.catalog_elements == 2
    assert result.warnings == ["anonymised-products-carry-prices"]


def test_anonymised_copy_without_products_when_the_rule_leaves_them_out(account: Account) -> None:
    copy_rule = rule("Партнёры", "Новая заявка", anonymise=True, catalogs=[CATALOGS["Мои юр. лица"]])
    result = account.copy(MANUAL_LEAD_ID, copy_rule, ADMIN)
    copy = account.lead(result.lead_id)
    assert copy["name"] == "Копия сделки #24002811"
    assert links_of(copy, "catalog_elements") == []


CAN = "Воронка", "Принимают решение"
LOGISTICS = "Логистика", "Первичный контакт"


@pytest.mark.parametrize(
    ("actor", "source", "target", "allowed"),
    [
        ("Виктор", MANUAL_LEAD_ID, LOGISTICS, False),  # stage rights deny editing in «Логистика»
        ("Виктор", MANUAL_LEAD_ID, CAN, True),
        ("Людмила Артемьевна", MANUAL_LEAD_ID, CAN, False),  # sees only her own leads
        ("Людмила Артемьевна", 24_002_817, CAN, True),
        ("Артем Иванович", MANUAL_LEAD_ID, CAN, False),  # group rights, another group's lead
        ("Артем Иванович", 24_002_816, CAN, True),  # Виктор's lead, same group
        ("Сергей Кузнецов", MANUAL_LEAD_ID, CAN, False),  # deactivated
        ("Евгений Агеев", 24_002_816, LOGISTICS, True),  # admin
    ],
)
def test_rights_are_checked_before_any_write(
    account: Account, actor: str, source: int, target: tuple[str, str], allowed: bool
) -> None:
    engine = account.engine()
    copy_rule = rule(*target, responsible={"mode": "actor"} if actor != "Сергей Кузнецов" else {"mode": "source"})
    if allowed:
        assert account.copy(source, copy_rule, USERS[actor], engine=engine).lead_id
        return
    with pytest.raises(CopyForbidden) as caught:
        account.copy(source, copy_rule, USERS[actor], engine=engine)
    assert caught.value.reason_ru and caught.value.reason_en
    assert [e for e in account.requests() if e["method"] != "GET"] == []
