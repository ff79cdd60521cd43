"""«Обновить исходную сделку» (write-back) chosen in the DP dialog, in Russian and English: signed, saved
by amoCRM (the harness), shown again, and a copy entering the trigger's stage updates its origin."""

from __future__ import annotations

import json
import uuid

import pytest

from amo_emulator.seed_demo import FIELD, pipeline_id, status_id
from devstack.client import call_widget
from tests.browser.conftest import open_area, publish, screenshot, wait_for
from tests.browser.test_field_actions import set_text

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SOURCE = 24_002_811
TRIGGER = {"pipeline": pipeline_id("Выполнение"), "status": status_id("Выполнение", "Сдано")}
COPY_TO = {"pipeline_id": pipeline_id("Выполнение"), "status_id": status_id("Выполнение", "В работе")}
ORIGIN_TO = {"pipeline_id": pipeline_id("Воронка"), "status_id": status_id("Воронка", "Принимают решение")}


def open_dialog(page, harness, account, lang):
    open_area(page, harness, account, "dp", lang=lang, pipeline=TRIGGER["pipeline"], status=TRIGGER["status"])
    dialog = page.locator('[data-action="send_widget_hook"]')
    dialog.locator(".dealcopy-dp .dealcopy-dp__mode").wait_for()
    return dialog


@pytest.mark.parametrize(
    ("lang", "modes", "heading"),
    [
        ("ru", ["Копировать сделку", "Обновить исходную сделку"], "Когда копия попадает на этот этап"),
        ("en", ["Copy the deal", "Update the source deal"], "When a copy enters this stage"),
    ],
)
def test_write_back_is_chosen_signed_and_updates_the_origin(page, harness, stack, account, lang, modes, heading):
    dialog = open_dialog(page, harness, account, lang)
    form = dialog.locator(".dealcopy-dp")
    assert form.locator(".dealcopy-dp__mode").inner_text().split("\n") == modes
    assert form.locator('[data-dp-mode][value="copy"]').is_checked()
    assert form.locator("[data-write-back]").is_hidden()

    form.locator('[data-dp-mode][value="write_back"]').check()
    back = form.locator("[data-write-back]")
    assert back.is_visible() and form.locator('[data-slot="form"]').is_hidden()
    assert back.inner_text().startswith(heading)
    back.locator('[data-control="write-back-pipeline"]').select_option(str(ORIGIN_TO["pipeline_id"]))
    back.locator('[data-control="write-back-stage"]').select_option(str(ORIGIN_TO["status_id"]))
    purpose = back.locator(f'[data-field-action="{FIELD["Назначение платежа"]}"]')
    assert purpose.locator("option").count() == 3  # as in the source, set, clear: no template on the origin
    set_text(back, "Назначение платежа", "Продление оплачено")
    back.locator(f'[data-field-action="{FIELD["Цена"]}"]').select_option("clear")
    back.locator(f'[data-field-action="{FIELD["Срочно"]}"]').select_option("set")
    back.locator(f'[data-field-rule="{FIELD["Срочно"]}"] [data-field-rule-value]').select_option("false")
    page.wait_for_function(
        """() => {
            const rule = document.querySelector('[data-action="send_widget_hook"] input[name="rule"]').value;
            const state = document.querySelector('.dealcopy-dp').getAttribute('data-sign-state');
            return state === 'ok' && rule.includes('write_back') && rule.includes('status');
        }"""
    )
    publish(screenshot(dialog, f"dp-write-back-{lang}"))

    dialog.locator(".js-trigger-save").click()
    page.wait_for_function("window.harness.dpRegistered")
    saved = page.evaluate("window.harness.dpSaved")
    assert saved["signature"]
    rule = json.loads(saved["rule"])
    assert list(rule) == ["write_back"] and rule["write_back"]["status"] == ORIGIN_TO
    assert sorted(rule["write_back"]["field_rules"], key=lambda r: r["field_id"]) == sorted(
        [
            {"field_id": FIELD["Назначение платежа"], "set": "Продление оплачено"},
            {"field_id": FIELD["Цена"], "clear": True},
            {"field_id": FIELD["Срочно"], "set": False},
        ],
        key=lambda r: r["field_id"],
    )

    # reopening the action shows the write-back as saved
    form = open_dialog(page, harness, account, lang).locator(".dealcopy-dp")
    assert form.locator('[data-dp-mode][value="write_back"]').is_checked()
    back = form.locator("[data-write-back]")
    assert back.locator('[data-control="write-back-stage"]').input_value() == str(ORIGIN_TO["status_id"])
    assert back.locator(f'[data-field-action="{FIELD["Цена"]}"]').input_value() == "clear"

    # a copy of the source reaches the trigger's stage: its origin is updated
    body = {"lead_id": SOURCE, "rule": COPY_TO, "idempotency_key": str(uuid.uuid4())}
    answer = call_widget(stack.info, "POST", "/copies", account, json=body)
    assert answer.status_code == 201, answer.text
    stack.control.move_lead(account["id"], answer.json()["lead_id"], TRIGGER["pipeline"], TRIGGER["status"])

    def updated():
        origin = stack.control.lead(account["id"], SOURCE)
        return origin if origin["status_id"] == ORIGIN_TO["status_id"] else None

    origin = wait_for(updated, timeout=40, what="the write-back on the origin")
    assert origin["pipeline_id"] == ORIGIN_TO["pipeline_id"]
    values = {f["field_id"]: f["values"] for f in origin.get("custom_fields_values") or []}
    assert values[FIELD["Назначение платежа"]][0]["value"] == "Продление оплачено"
    assert values[FIELD["Срочно"]][0]["value"] is False
    assert FIELD["Цена"] not in values
