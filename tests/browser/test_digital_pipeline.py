"""The Digital Pipeline action (manual 6.5–6.7): rule chosen in the DP dialog, signed, saved, fired by a hook.

Needs POST /widget/dp/sign and POST /dp/hook of the local stack.
"""

from __future__ import annotations

import json

import pytest

from amo_emulator.seed_demo import CATALOGS, FIELD, USERS, pipeline_id, status_id
from tests.browser.conftest import open_area, screenshot, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SOURCE = 24_002_811
TRIGGER = {"pipeline": pipeline_id("Воронка"), "status": status_id("Воронка", "Передать партнёру")}
PARTNERS = {"pipeline_id": pipeline_id("Партнёры"), "status_id": status_id("Партнёры", "Новая заявка")}
PARTNER = USERS["Дмитрий Игоревич Бичесловский"]


def test_anonymised_dp_rule_is_signed_saved_and_fired_by_a_hook(page, harness, stack, account):
    open_area(page, harness, account, "dp", pipeline=TRIGGER["pipeline"], status=TRIGGER["status"])
    dialog = page.locator('[data-action="send_widget_hook"]')
    form = dialog.locator(".dealcopy-dp")
    form.locator(".dealcopy-form").wait_for()
    # amoCRM's own inputs stay in the form (amoCRM saves them) but the user sees our controls
    assert dialog.locator('input[name="rule"]').is_hidden() and dialog.locator('input[name="signature"]').is_hidden()
    text = form.inner_text()
    # below the switch between this action and «Обновить исходную сделку»
    assert form.locator('[data-dp-mode][value="copy"]').is_checked()
    assert form.locator('[data-slot="form"]').inner_text().startswith("Выберите данные для переноса в новую сделку:")
    for label in ("Ответственный", "Воронка", "Этап", "Копировать компанию", "Копировать контакты", "Анонимная копия"):
        assert label in text
    for node in ("Сделка", "Список Товары", "Список Мои юр. лица", "Список Счета/покупки"):
        assert node in form.locator(".dealcopy-tree__toggle").all_inner_texts()
    assert form.locator('[data-node="catalog"] [data-bulk="on"]').first.inner_text() == "Добавить все"
    assert form.locator('[data-node="catalog"] [data-bulk="off"]').first.inner_text() == "Снять все"
    # «я» makes no sense for a trigger: nobody presses a button
    assert form.locator('[data-control="responsible"] option[value="actor"]').count() == 0

    form.locator('[data-control="responsible"]').select_option(str(PARTNER))
    form.locator('[data-control="pipeline"]').select_option(str(PARTNERS["pipeline_id"]))
    form.locator('[data-control="stage"]').select_option(str(PARTNERS["status_id"]))
    form.locator('[data-control="anonymise"]').check()
    assert form.locator('[data-control="contacts"]').is_disabled()
    assert form.locator('[data-control="company"]').is_disabled()
    lead_node = form.locator('[data-node="lead"]')
    lead_node.locator("[data-toggle]").click()
    # requisites, personal, financial and tracking fields are unticked and disabled by the switch
    for dropped in ("Юр. лицо", "Дата рождения", "Сумма предоплаты", "utm_source", "ИНН"):
        box = lead_node.locator(f'[data-field="{FIELD[dropped]}"]')
        label = box.locator("xpath=..")
        assert "dealcopy-check_dropped" in label.get_attribute("class"), dropped
        assert box.is_disabled() and not box.is_checked(), dropped
    page.wait_for_selector('.dealcopy-dp[data-sign-state="ok"]')
    assert "Правило проверено" in form.locator('[data-slot="status"]').inner_text()
    screenshot(dialog, "dp-dialog-ru")

    dialog.locator(".js-trigger-save").click()
    page.wait_for_function("window.harness.dpRegistered")  # amoCRM (the emulator) has the action on its stage
    saved = page.evaluate("window.harness.dpSaved")
    assert saved["signature"] and not saved.get("invalid")
    rule = json.loads(saved["rule"])
    assert rule["anonymise"] is True
    assert (rule["pipeline_id"], rule["status_id"]) == (PARTNERS["pipeline_id"], PARTNERS["status_id"])
    assert rule["responsible"] == {"mode": "fixed", "user_id": PARTNER}
    assert rule["copy_contacts"] is False and rule["copy_company"] is False
    # every field the anonymised mode keeps is ticked: "all", so fields added later are carried too
    assert rule["fields"] == "all" and rule["exclude_fields"] == []

    # reopening the action shows what was saved
    open_area(page, harness, account, "dp", pipeline=TRIGGER["pipeline"], status=TRIGGER["status"])
    form = page.locator('[data-action="send_widget_hook"] .dealcopy-dp')
    form.locator(".dealcopy-form").wait_for()
    assert form.locator('[data-control="pipeline"]').input_value() == str(PARTNERS["pipeline_id"])
    assert form.locator('[data-control="stage"]').input_value() == str(PARTNERS["status_id"])
    assert form.locator('[data-control="anonymise"]').is_checked()
    assert page.locator('[data-action="send_widget_hook"] input[name="signature"]').input_value() == saved["signature"]

    # the deal reaches the trigger's stage: amoCRM posts the hook with the saved settings
    before = {lead["id"] for lead in stack.control.state(account["id"])["leads"]}
    stack.control.move_lead(account["id"], SOURCE, TRIGGER["pipeline"], TRIGGER["status"])

    def the_copy():
        leads = stack.control.state(account["id"])["leads"]
        fresh = [lead for lead in leads if lead["id"] not in before]
        return fresh[0] if fresh else None

    created = wait_for(the_copy, timeout=40, what="the DP copy in the emulator")
    copy = stack.control.lead(account["id"], created["id"])
    assert (copy["pipeline_id"], copy["status_id"]) == (PARTNERS["pipeline_id"], PARTNERS["status_id"])
    assert copy["responsible_user_id"] == PARTNER
    assert "Арктик" not in copy["name"]  # the source's name identifies the client
    assert not copy.get("price")
    links = copy.get("links", [])
    assert not [link for link in links if link["to_entity_type"] in ("contacts", "companies")]
    catalogs = {
        (link.get("metadata") or {}).get("catalog_id") for link in links if link["to_entity_type"] == "catalog_elements"
    }
    assert catalogs <= {CATALOGS["Товары"]}
    fields = {value["field_id"] for value in copy.get("custom_fields_values") or []}
    assert FIELD["Спецификация"] in fields  # the work stays
    for personal in ("ИНН", "Юр. лицо", "Дата рождения", "Сумма предоплаты", "utm_source"):
        assert FIELD[personal] not in fields, personal


def test_dp_dialog_in_english_refuses_an_unsigned_rule(page, harness, stack, account):
    """English labels; a rule the backend refuses leaves no signature, so amoCRM saves nothing usable."""
    open_area(page, harness, account, "dp", lang="en", pipeline=TRIGGER["pipeline"], status=TRIGGER["status"])
    dialog = page.locator('[data-action="send_widget_hook"]')
    form = dialog.locator(".dealcopy-dp")
    form.locator(".dealcopy-form").wait_for()
    page.wait_for_selector('.dealcopy-dp[data-sign-state="ok"]')  # a new action is signed with the defaults
    assert form.locator('[data-slot="form"]').inner_text().startswith("Choose what the new deal gets:")
    assert dialog.locator('input[name="signature"]').input_value()
    screenshot(dialog, "dp-dialog-en")

    # a stage removed from the account after the page loaded: the backend refuses the rule
    page.evaluate(
        """() => {
            const stage = document.querySelector('.dealcopy-dp [data-control="stage"]');
            stage.add(new Option('Gone', '999999'));
            stage.value = '999999';
            stage.dispatchEvent(new Event('change', {bubbles: true}));
        }"""
    )
    page.wait_for_selector('.dealcopy-dp[data-sign-state="error"]')
    assert dialog.locator('input[name="signature"]').input_value() == ""
    error = form.locator('[data-role="status_id"] .dealcopy-field__error')
    assert error.is_visible()
    assert "stage" in error.inner_text().lower()
    screenshot(dialog, "dp-dialog-en-error")
