"""The field actions of the rule form's tree (set, clear, template, map) in the card, in Russian and English:
chosen on screen, sent in the rule, applied to the copy in the emulator."""

from __future__ import annotations

import json

import pytest

from amo_emulator.seed_demo import FIELD, pipeline_id, status_id
from tests.browser.conftest import copied_link, open_area, publish, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SOURCE = 24_002_811


def enum_id(stack, account, field: str, text: str) -> int:
    (spec,) = [f for f in stack.control.state(account["id"])["custom_fields"] if f["id"] == FIELD[field]]
    return next(e["id"] for e in spec["enums"] if e["value"] == text)


def set_text(scope, field: str, text: str) -> None:
    """Chooses «задать значение» for a text field in `scope` and types `text` (its change tells the form)."""
    scope.locator(f'[data-field-action="{FIELD[field]}"]').select_option("set")
    value = scope.locator(f'[data-field-rule="{FIELD[field]}"] [data-field-rule-value]')
    value.fill(text)
    value.dispatch_event("change")


@pytest.mark.parametrize(("lang", "set_label"), [("ru", "задать значение"), ("en", "set a value")])
def test_field_actions_shape_the_copy(page, harness, stack, account, lang, set_label):
    open_area(page, harness, account, "lcard", lead=SOURCE, lang=lang)
    panel = page.locator(".dealcopy-panel")
    panel.wait_for()
    panel.locator("[data-more]").click()
    lead_node = panel.locator('[data-node="lead"]')
    lead_node.locator("[data-toggle]").click()

    def action(field: str, value: str):
        select = lead_node.locator(f'[data-field-action="{FIELD[field]}"]')
        select.select_option(value)
        return lead_node.locator(f'[data-field-rule="{FIELD[field]}"]')

    purpose = action("Назначение платежа", "set")
    assert purpose.locator("[data-field-action] option:checked").inner_text() == set_label
    purpose.locator("[data-field-rule-value]").fill("Продление")
    action("Дата отгрузки", "clear")
    action("Спецификация", "template").locator("[data-field-rule-value]").fill("{name} / {source.1100005}")
    services = enum_id(stack, account, "Категория", "Услуги")
    category = action("Категория", "map")
    category.locator(f'[data-map-from="{enum_id(stack, account, "Категория", "Оборудование")}"]').select_option(
        str(services)
    )
    action("Срочно", "set").locator("[data-field-rule-value]").select_option("false")
    assert lead_node.locator(f'[data-field-action="{FIELD["Дата отгрузки"]}"] option').count() == 3  # carry, set, clear
    lead_node.locator(f'[data-field-rule="{FIELD["Срочно"]}"]').scroll_into_view_if_needed()
    shot = screenshot(page.locator(".harness-widget"), f"field-actions-{lang}")
    publish(shot, f"field-actions-{lang}.png")

    panel.locator('[data-action="copy"]').click()
    link = copied_link(panel)
    copy = stack.control.lead(account["id"], int(link.get_attribute("data-copy-id")))
    values = {f["field_id"]: f["values"] for f in copy["custom_fields_values"]}
    name = stack.control.lead(account["id"], SOURCE)["name"]
    assert values[FIELD["Назначение платежа"]][0]["value"] == "Продление"
    assert FIELD["Дата отгрузки"] not in values
    assert values[FIELD["Спецификация"]][0]["value"] == f"{name} / LI-2025-000184"
    assert values[FIELD["Категория"]][0]["enum_id"] == services
    assert values[FIELD["Срочно"]][0]["value"] is False


def test_field_actions_are_signed_into_the_dp_settings_and_shown_again(page, harness, stack, account):
    trigger = {"pipeline": pipeline_id("Воронка"), "status": status_id("Воронка", "Передать партнёру")}
    open_area(page, harness, account, "dp", pipeline=trigger["pipeline"], status=trigger["status"])
    form = page.locator('[data-action="send_widget_hook"] .dealcopy-dp')
    form.locator(".dealcopy-form").wait_for()
    lead_node = form.locator('[data-node="lead"]')
    lead_node.locator("[data-toggle]").click()
    set_text(lead_node, "Назначение платежа", "Продление")
    lead_node.locator(f'[data-field-action="{FIELD["Дата отгрузки"]}"]').select_option("clear")
    page.wait_for_selector('.dealcopy-dp[data-sign-state="ok"]')
    page.locator('[data-action="send_widget_hook"] .js-trigger-save').click()
    page.wait_for_function("window.harness.dpRegistered")
    rule = json.loads(page.evaluate("window.harness.dpSaved")["rule"])
    assert rule["field_rules"] == [
        {"field_id": FIELD["Назначение платежа"], "set": "Продление"},
        {"field_id": FIELD["Дата отгрузки"], "clear": True},
    ]

    open_area(page, harness, account, "dp", pipeline=trigger["pipeline"], status=trigger["status"])
    form = page.locator('[data-action="send_widget_hook"] .dealcopy-dp')
    form.locator(".dealcopy-form").wait_for()
    shown = form.locator(f'[data-field-rule="{FIELD["Назначение платежа"]}"]')
    assert shown.locator("[data-field-action]").input_value() == "set"
    assert shown.locator("[data-field-rule-value]").input_value() == "Продление"
    assert form.locator(f'[data-field-action="{FIELD["Дата отгрузки"]}"]').input_value() == "clear"
