"""The four Digital Pipeline scenarios of the user manual (6.6–6.9), end to end over HTTP.

Each one: an admin signs the rule through the widget route, puts the action on a stage (the
emulator then posts amoCRM's form-encoded hook when a lead enters it), a lead is moved into
the stage, and the copy is checked field by field: pipeline, stage, responsible, and exactly
which data came over and which did not.
"""

from __future__ import annotations

import json

import pytest

from amo_emulator.seed_demo import CATALOGS, COMPANIES, CONTACTS, FIELD, USERS
from tests.dp.helpers import add_trigger, install, jobs, notes_on, settled, sign, stage, wait_for

SOURCE = 24_002_811  # the manual's deal: every field type, products, legal entity, invoice, two contacts


@pytest.fixture
def account(dp_stack):
    return install(dp_stack)


def _fire(stack, account, trigger: dict[str, int], rule: dict, lead_id: int = SOURCE) -> tuple[dict, dict]:
    """Sign, set the trigger, move the lead into its stage; returns (the copy, the job's result)."""
    signed = sign(stack, account, rule)
    add_trigger(stack, account, trigger, signed)
    stack.control.move_lead(account["id"], lead_id, trigger["pipeline_id"], trigger["status_id"])
    done = wait_for(lambda: settled(stack, account, 1), timeout=40, what="the DP job")
    assert [j["state"] for j in done] == ["done"], done
    record = json.loads(done[0]["data"])
    assert record["trigger"] == "dp" and record["lead_id"] == lead_id
    hooks = stack.control.dp_hooks(account["id"])
    assert [(h["lead_id"], h.get("status_code")) for h in hooks] == [(lead_id, 200)]
    copy = stack.control.lead(account["id"], record["result"]["lead_id"])
    return copy, record["result"]


def _fields(copy: dict) -> set[int]:
    return {value["field_id"] for value in copy.get("custom_fields_values") or []}


def _links(copy: dict, kind: str) -> list[dict]:
    return [link for link in copy.get("links", []) if link["to_entity_type"] == kind]


def _catalogs(copy: dict) -> list[int]:
    return sorted((link.get("metadata") or {}).get("catalog_id") for link in _links(copy, "catalog_elements"))


def _ids(*names: str) -> set[int]:
    return {FIELD[name] for name in names}


def _assert_linked_to_source(stack, account, copy: dict, source: int = SOURCE) -> None:
    assert any(f"#{copy['id']}" in text for text in notes_on(stack, account, source))
    assert any(f"#{source}" in text for text in notes_on(stack, account, copy["id"]))


def test_6_6_handover_to_delivery(dp_stack, account):
    """«Оплачен счёт» -> «Выполнение / В работе», for the delivery lead; operational data only."""
    operational = ["Спецификация", "Услуги", "Срочно", "Дата отгрузки", "Категория", "Город", "Короткий адрес"]
    rule = {
        **stage("Выполнение", "В работе"),
        "responsible": {"mode": "fixed", "user_id": USERS["Артем Иванович"]},
        "copy_company": True,
        "copy_contacts": True,
        "copy_budget": True,
        "copy_tags": False,
        "fields": sorted(_ids(*operational)),
        "catalogs": [CATALOGS["Товары"]],
    }
    copy, result = _fire(dp_stack, account, stage("Воронка", "Оплачен счёт"), rule)
    assert (copy["pipeline_id"], copy["status_id"]) == tuple(stage("Выполнение", "В работе").values())
    assert copy["responsible_user_id"] == USERS["Артем Иванович"]
    assert copy["name"] == "Поставка оборудования для Арктик Вест-Сервисес"
    assert copy["price"] == 100
    assert _fields(copy) == _ids(*operational)
    assert not _fields(copy) & _ids("utm_source", "Назначение платежа", "ТЕЛЕМОСТ", "Дата и время встречи")
    assert [link["to_entity_id"] for link in _links(copy, "companies")] == [COMPANIES["Арктик Вест-Сервисес"]]
    contacts = {link["to_entity_id"]: link["metadata"].get("main_contact") for link in _links(copy, "contacts")}
    assert contacts == {CONTACTS["Виктор Соколов"]: True, CONTACTS["Анна Кузнецова"]: False}
    assert _catalogs(copy) == [CATALOGS["Товары"]] * 2  # the two products, not the legal entity or invoice
    assert not copy.get("tags")
    skipped = {(s["what"], s.get("ref")): s["code"] for s in result["skipped"]}
    assert skipped[("field", FIELD["utm_source"])] == "not_selected"
    assert skipped[("tags", None)] == "not_selected"
    _assert_linked_to_source(dp_stack, account, copy)


PERSONAL_OR_FINANCIAL = (
    "ИНН",
    "Юр. лицо",
    "Плательщик",
    "Дата рождения",
    "Телефон менеджера",
    "Адрес",
    "Короткий адрес",
    "Сумма предоплаты",
    "Цена",
    "Назначение платежа",
    "utm_source",
)


def test_6_7_anonymised_copy_for_a_partner(dp_stack, account):
    """«Передать партнёру» -> «Партнёры / Новая заявка»: the work, none of the client."""
    technical = ["Спецификация", "Услуги", "Категория", "Срочно", "Дата отгрузки"]
    rule = {
        **stage("Партнёры", "Новая заявка"),
        "responsible": {"mode": "fixed", "user_id": USERS["Дмитрий Игоревич Бичесловский"]},
        "anonymise": True,
        "copy_contacts": False,
        "copy_company": False,
        # ИНН is a plain text field to amoCRM: an admin names it as one more field to anonymise.
        "fields": sorted(_ids(*technical, "ИНН")),
        "anonymise_extra_field_ids": [FIELD["ИНН"]],
        "catalogs": [],
        "name_template": "Заявка партнёру #{id}",
    }
    copy, result = _fire(dp_stack, account, stage("Воронка", "Передать партнёру"), rule)
    assert (copy["pipeline_id"], copy["status_id"]) == tuple(stage("Партнёры", "Новая заявка").values())
    assert copy["responsible_user_id"] == USERS["Дмитрий Игоревич Бичесловский"]
    assert copy["name"] == f"Заявка партнёру #{SOURCE}" and "Арктик" not in copy["name"]
    assert not copy.get("price")
    assert _fields(copy) == _ids(*technical)
    assert not _fields(copy) & _ids(*PERSONAL_OR_FINANCIAL)
    assert copy.get("links", []) == []  # no contacts, no company, no products, legal entities or invoices
    assert not copy.get("tags")
    serialized = json.dumps(copy, ensure_ascii=False)
    for secret in ("7702456781", "Арктик", "Соколов", "+7909", "50000", "ООО «АВИСКЛАУД»", "yandex"):
        assert secret not in serialized, secret
    skipped = {(s["what"], s.get("ref")): s["code"] for s in result["skipped"]}
    assert skipped[("field", FIELD["ИНН"])] == "anonymised"
    assert skipped[("contacts", None)] in ("anonymised", "not_selected")
    # The copy's own note names only the source's number and URL.
    assert all("Арктик" not in text for text in notes_on(dp_stack, account, copy["id"]))
    _assert_linked_to_source(dp_stack, account, copy)


def test_6_8_post_sale_logistics_deal(dp_stack, account):
    """Won in «Воронка» (status 142, shared by every pipeline) -> «Логистика / Первичный контакт»."""
    # The payer, supplier and order lines travel on the linked invoice («Счета/покупки»): amoCRM has
    # those field types on the invoices catalog only (emulator custom_fields.OFFERED_TYPES).
    post_sale = [
        "Юр. лицо",
        "Адрес",
        "Короткий адрес",
        "Дата отгрузки",
        "Спецификация",
    ]
    rule = {
        **stage("Логистика", "Первичный контакт"),
        "responsible": {"mode": "fixed", "user_id": USERS["Дмитрий Артемьевич"]},
        "copy_company": True,
        "copy_contacts": True,
        "copy_budget": False,
        "copy_tags": False,
        "fields": sorted(_ids(*post_sale)),
        "catalogs": [CATALOGS["Товары"], CATALOGS["Мои юр. лица"], CATALOGS["Счета/покупки"]],
    }
    won = stage("Воронка", "Успешно реализовано")
    copy, result = _fire(dp_stack, account, won, rule)
    assert (copy["pipeline_id"], copy["status_id"]) == tuple(stage("Логистика", "Первичный контакт").values())
    assert copy["responsible_user_id"] == USERS["Дмитрий Артемьевич"]
    assert not copy.get("price")
    assert _fields(copy) == _ids(*post_sale)
    assert not _fields(copy) & _ids("utm_source", "ТЕЛЕМОСТ", "Ссылка для присоединения", "Дата и время встречи")
    skipped = {(s["what"], s.get("ref")): s["code"] for s in result["skipped"]}
    assert skipped[("budget", None)] == "not_selected"
    assert skipped[("field", FIELD["utm_source"])] == "not_selected"
    assert [link["to_entity_id"] for link in _links(copy, "companies")] == [COMPANIES["Арктик Вест-Сервисес"]]
    assert CONTACTS["Виктор Соколов"] in {link["to_entity_id"] for link in _links(copy, "contacts")}
    assert _catalogs(copy) == sorted(
        [CATALOGS["Товары"], CATALOGS["Товары"], CATALOGS["Мои юр. лица"], CATALOGS["Счета/покупки"]]
    )
    # A lead won in another pipeline must not fire this rule: the trigger is (pipeline, 142).
    dp_stack.control.move_lead(account["id"], 24_002_812, *stage("Support", "Успешно реализовано").values())
    assert [h["lead_id"] for h in dp_stack.control.dp_hooks(account["id"])] == [SOURCE]
    assert len(jobs(dp_stack, account)) == 1
    _assert_linked_to_source(dp_stack, account, copy)


def test_6_9_renewal_assigned_to_the_current_account_manager(dp_stack, account):
    """«Активация услуги» -> «Повторные продажи / Новый запрос», owned by the source's responsible."""
    source = 24_002_813  # «Яндекс: активация услуги для ТехноСтрой», managed by Дмитрий Артемьевич
    trigger = stage("Яндекс", "Активация услуги")
    dp_stack.control.move_lead(account["id"], source, *stage("Яндекс", "Переговоры").values())  # before the trigger
    package = ["Услуги", "Категория", "Город"]
    rule = {
        **stage("Повторные продажи", "Новый запрос"),
        "responsible": {"mode": "source"},
        "copy_company": True,
        "copy_contacts": True,
        "copy_budget": True,
        "fields": sorted(_ids(*package)),
        "catalogs": [CATALOGS["Товары"]],
        "name_template": "Продление: {name}",
    }
    copy, result = _fire(dp_stack, account, trigger, rule, lead_id=source)
    assert (copy["pipeline_id"], copy["status_id"]) == tuple(stage("Повторные продажи", "Новый запрос").values())
    assert copy["responsible_user_id"] == USERS["Дмитрий Артемьевич"]
    assert copy["name"] == "Продление: Яндекс: активация услуги для ТехноСтрой"
    assert copy["price"] == 171_750
    assert _fields(copy) == _ids("Категория", "Город")  # «Услуги» is empty on the source
    one_off = ("Ссылка для присоединения", "ТЕЛЕМОСТ", "Назначение платежа", "Плательщик")
    assert not _fields(copy) & _ids(*one_off)
    assert [link["to_entity_id"] for link in _links(copy, "companies")] == [COMPANIES["АО «ТехноСтрой»"]]
    assert [link["to_entity_id"] for link in _links(copy, "contacts")] == [CONTACTS["Ольга Лебедева"]]
    skipped = {(s["what"], s.get("ref")): s["code"] for s in result["skipped"]}
    for name in one_off:
        assert skipped[("field", FIELD[name])] == "not_selected"
    _assert_linked_to_source(dp_stack, account, copy, source)
