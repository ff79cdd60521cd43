"""The card's preview lists each custom field as the copy will write it (the answer's `fields`), in Russian
and English: a field rule's set value, an option by its name, a cleared field said to be empty."""

from __future__ import annotations

import pytest

from amo_emulator.seed_demo import FIELD
from tests.browser.conftest import open_area, publish, screenshot
from tests.browser.test_field_actions import enum_id, set_text

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SOURCE = 24_002_811


@pytest.mark.parametrize(
    ("lang", "title", "empty"), [("ru", "Поля копии", "пусто"), ("en", "The copy's fields", "empty")]
)
def test_the_preview_shows_what_each_field_becomes(page, harness, stack, account, lang, title, empty):
    open_area(page, harness, account, "lcard", lead=SOURCE, lang=lang)
    panel = page.locator(".dealcopy-panel")
    panel.wait_for()
    page.wait_for_selector('.dealcopy-preview[data-state="ready"]')
    shown = panel.locator(
        f'.dealcopy-preview [data-preview-field="{FIELD["Назначение платежа"]}"] [data-preview-value]'
    )
    assert shown.text_content() == "Так надо было 22"  # carried as in the source

    panel.locator("[data-more]").click()
    lead_node = panel.locator('[data-node="lead"]')
    lead_node.locator("[data-toggle]").click()
    set_text(lead_node, "Назначение платежа", "Продление")
    lead_node.locator(f'[data-field-action="{FIELD["Категория"]}"]').select_option("set")
    services = enum_id(stack, account, "Категория", "Услуги")
    lead_node.locator(f'[data-field-rule="{FIELD["Категория"]}"] [data-field-rule-value]').select_option(str(services))
    lead_node.locator(f'[data-field-action="{FIELD["Цена"]}"]').select_option("clear")
    page.wait_for_function(
        """(id) => {
            const box = document.querySelector('.dealcopy-preview');
            const value = box.querySelector(`[data-preview-field="${id}"] [data-preview-value]`);
            return box.dataset.state === 'ready' && value && value.textContent === 'Продление';
        }""",
        arg=FIELD["Назначение платежа"],
    )
    fields = panel.locator(".dealcopy-preview [data-preview-fields]")
    assert fields.locator("summary").inner_text().startswith(title)

    def text(field: str) -> str:
        return fields.locator(f'[data-preview-field="{FIELD[field]}"] [data-preview-value]').text_content()

    assert text("Категория") == "Услуги"  # the option's name, not its id
    assert text("Цена") == empty
    fields.evaluate("el => { el.open = true; }")
    fields.scroll_into_view_if_needed()
    publish(screenshot(panel.locator(".dealcopy-preview"), f"card-preview-fields-{lang}"))
