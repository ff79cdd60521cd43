"""A manager reads what happened and what to do; codes and paths only under a folded «подробнее»."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot
from tests.browser.test_trust import lead_ids, open_card

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WORDS = {
    "ru": (
        "В названии копии есть неизвестная подстановка {xyz}. Доступны: {name}, {id}, {pipeline}, {date}, {n}.",
        "подробнее",
    ),
    "en": (
        "The copy's name has an unknown placeholder {xyz}. Available: {name}, {id}, {pipeline}, {date}, {n}.",
        "details",
    ),
}
TECHNICAL = ("name_template", "rule_invalid", "template-unknown-placeholder", "http-")


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_an_unknown_placeholder_in_the_copy_name_is_said_in_plain_words_with_the_path_folded(
    page, harness, stack, account, lang
):
    words, more = WORDS[lang]
    panel = open_card(page, harness, account, lang)
    before = lead_ids(stack, account)
    panel.locator('[data-control="name"]').fill("{name} {xyz}")
    panel.locator('[data-action="copy"]').click()
    at_name = panel.locator('[data-role="name_template"] [data-error]')
    at_name.wait_for()
    assert at_name.inner_text().startswith(words)
    assert lead_ids(stack, account) == before  # nothing was made

    fix_first = "Предпросмотр появится" if lang == "ru" else "The preview appears once"
    page.wait_for_selector('.dealcopy-preview[data-state="error"]')
    assert panel.locator(".dealcopy-preview").inner_text().startswith(fix_first)  # the cause is said once, at the name
    shown = panel.inner_text()  # what a person sees: a closed <details> shows only its summary
    assert not [code for code in TECHNICAL if code in shown], shown
    detail = panel.locator('[data-slot="error"] [data-detail]')
    assert detail.get_attribute("open") is None
    assert detail.locator("summary").inner_text() == more
    assert "name_template" in detail.locator(".dealcopy-detail__body").text_content()  # for support, folded
    screenshot(page.locator(".harness-widget"), f"card-name-error-{lang}")


def test_the_preview_lists_each_unticked_field_once_by_name_from_a_preset_and_the_users_own(
    page, harness, stack, account
):
    """A preset leaving two fields out, then two more unticked on the card: four skips, each named once."""
    from amo_emulator.seed_demo import FIELD, pipeline_id, status_id
    from tests.browser.test_settings_page import backend
    from tests.browser.test_trust import open_tree

    left_out = ["Спецификация", "Услуги"]
    rule = {
        "pipeline_id": pipeline_id("Воронка"),
        "status_id": status_id("Воронка", "Переговоры"),
        "fields": "all",
        "exclude_fields": [FIELD[name] for name in left_out],
    }
    saved = backend(stack, account, "PUT", "/widget/presets/p-left-out", json={"name": "Без двух полей", "rule": rule})
    assert saved.status_code == 200, saved.text
    panel = open_card(page, harness, account)
    page.wait_for_selector('.dealcopy-preview[data-state="ready"]')
    panel.locator('[data-control="preset"]').select_option("p-left-out")
    open_tree(panel)
    mine = ["Категория", "Город"]
    for name in mine:
        panel.locator(f'[data-field="{FIELD[name]}"]').uncheck()
    element = panel.locator("[data-element]").last  # one of the deal's own linked elements, too
    element.uncheck()
    element_name = element.locator("xpath=ancestor::label").locator(".dealcopy-check__text").inner_text().strip()
    page.wait_for_function(
        """(n) => {
            const box = document.querySelector('.dealcopy-preview');
            return box.dataset.state === 'ready'
                && box.querySelectorAll('[data-skip-code="not_selected"]').length >= n;
        }""",
        arg=len(left_out + mine),
    )
    rows = panel.locator('.dealcopy-preview [data-skip-code="not_selected"] .dealcopy-result__what').all_inner_texts()
    assert len(rows) == len(set(rows)), rows  # nothing twice
    assert len([row for row in rows if element_name in row]) == 1, (element_name, rows)
    fields = [row for row in rows if row.startswith("Поле «")]
    assert sorted(fields) == sorted(f"Поле «{name}»" for name in left_out + mine), rows
