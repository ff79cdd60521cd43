"""Every save of a preset or a repeat saves what is on screen at the press, whatever still loads.

A person changes a control and presses «Сохранить» / «Создать повтор» at once (50 ms, in the page:
no Playwright round trip in between) while amoCRM answers slowly or the card's preview is still
being asked; the saved preset or repeat is read back through the API. A save that cannot tell
what is meant (the closed-stage question still open) saves nothing and says so.
"""

from __future__ import annotations

import pytest

from amo_emulator.seed_demo import pipeline_id, status_id
from tests.browser.conftest import open_area, screenshot, wait_for
from tests.browser.test_repeats import open_card, repeats_of
from tests.browser.test_settings_page import backend

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DELIVERY = pipeline_id("Выполнение")
IN_WORK = status_id("Выполнение", "В работе")
REVIEW = status_id("Выполнение", "Проверка")
WON = 142

# change one control (`change` and `input`, as a person's edit fires them), press `press` 50 ms later
CHANGE_THEN_PRESS = """([control, value, press]) => {
    const el = document.querySelector(control);
    el.value = value;
    el.dispatchEvent(new Event('input', {bubbles: true}));
    el.dispatchEvent(new Event('change', {bubbles: true}));
    setTimeout(() => document.querySelector(press).click(), 50);
}"""


def presets_of(stack, account):
    answer = backend(stack, account, "GET", "/widget/settings")
    assert answer.status_code == 200, answer.text
    return {p["preset_id"]: p for p in answer.json()["presets"]}


def open_preset_editor(page, harness, account, lang="ru", stage=IN_WORK):
    """A new preset «Передача» in the settings' editor, its stage `stage` chosen."""
    open_area(page, harness, account, "settings", lang=lang)
    root = page.locator(".dealcopy-settings")
    root.wait_for()
    root.locator('[data-action="preset-new"]').click()
    editor = root.locator('[data-slot="editor"]')
    editor.locator('[data-control="preset-name"]').fill("Передача")
    if stage != WON:
        editor.locator('[data-control="pipeline"]').select_option(str(DELIVERY))
    editor.locator('[data-control="stage"]').select_option(str(stage))
    return root, editor


def test_a_preset_saved_50_ms_after_a_change_while_amocrm_is_slow_holds_that_change(page, harness, stack, account):
    root, editor = open_preset_editor(page, harness, account)
    stack.control.add_fault(account["id"], kind="slow", delay=1.5, count=1000, path_prefix="/api/v4")
    try:
        page.evaluate(
            CHANGE_THEN_PRESS,
            ['[data-slot="editor"] [data-control="stage"]', str(REVIEW), '[data-action="preset-save"]'],
        )
        root.locator(".dealcopy-preset").wait_for(timeout=30_000)
        ((preset_id, stored),) = presets_of(stack, account).items()
        assert (stored["rule"]["pipeline_id"], stored["rule"]["status_id"]) == (DELIVERY, REVIEW)

        # edited again, then renamed the moment the editor closes, before the list is reloaded:
        # the rename starts from the rule just saved, not from the one the page loaded first
        root.locator('[data-action="preset-edit"]').click()
        editor.locator('[data-control="stage"]').wait_for()
        page.evaluate(
            """([stage]) => {
                const editor = document.querySelector('[data-slot="editor"]');
                const select = editor.querySelector('[data-control="stage"]');
                select.value = stage;
                select.dispatchEvent(new Event('change', {bubbles: true}));
                new MutationObserver((_, observer) => {
                    if (!editor.hidden) return;
                    observer.disconnect();
                    document.querySelector('[data-action="preset-rename"]').click();
                    document.querySelector('[data-control="rename"]').value = 'Передача на проверку';
                    document.querySelector('[data-action="rename-save"]').click();
                }).observe(editor, {attributes: true});
                editor.querySelector('[data-action="preset-save"]').click();
            }""",
            [str(IN_WORK)],
        )
        wait_for(
            lambda: presets_of(stack, account)[preset_id]["name"] == "Передача на проверку",
            timeout=30,
            what="the rename",
        )
    finally:
        stack.control.clear_faults(account["id"])
    stored = presets_of(stack, account)[preset_id]
    assert stored["rule"]["status_id"] == IN_WORK  # the edit survived the rename pressed before the reload
    page.wait_for_function("document.querySelector('.dealcopy-preset__summary').textContent.includes('В работе')")


def test_a_repeat_made_50_ms_after_a_change_while_the_preview_loads_holds_that_change(page, harness, stack, account):
    panel = open_card(page, harness, account)
    section = panel.locator('[data-slot="repeats"]')
    section.locator("[data-repeat-more]").click()
    section.locator('[data-control="repeat-at"]').fill("11:45")
    # the stage change starts a preview (debounced, then slow: amoCRM answers in 1.5 s); the press comes first
    stack.control.add_fault(account["id"], kind="slow", delay=1.5, count=1000, path_prefix="/api/v4")
    try:
        stage = status_id("Воронка", "Принимают решение")
        page.evaluate(
            CHANGE_THEN_PRESS, ['.dealcopy-panel [data-control="stage"]', str(stage), '[data-action="repeat-create"]']
        )
        section.locator('[data-slot="repeat-done"]').wait_for(timeout=30_000)
        (repeat,) = repeats_of(stack, account)
        assert repeat["rule"]["status_id"] == stage and repeat["schedule"]["at"] == "11:45"

        # its calendar changed in the row and saved 50 ms later
        item = section.locator("[data-repeat]")
        item.locator('[data-action="repeat-edit"]').click()
        item.locator('[data-control="repeat-n"]').wait_for()
        page.evaluate(
            CHANGE_THEN_PRESS, ['[data-repeat] [data-control="repeat-n"]', "3", '[data-action="repeat-save"]']
        )
        item.locator("[data-repeat-saved]").wait_for(timeout=30_000)
    finally:
        stack.control.clear_faults(account["id"])
    (repeat,) = repeats_of(stack, account)
    assert repeat["schedule"]["every"]["n"] == 3


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_a_save_while_the_closed_stage_question_is_open_saves_nothing_and_says_so(page, harness, stack, account, lang):
    """Which stage is meant is still being asked: neither a preset nor a repeat is saved."""
    said = "ничего не сохранено" if lang == "ru" else "nothing was saved"
    _, editor = open_preset_editor(page, harness, account, lang, stage=WON)
    assert editor.locator('[data-slot="stage-confirm"]').is_visible()
    editor.locator('[data-action="preset-save"]').click()
    assert said in editor.locator('[data-slot="editor-error"]').inner_text()
    screenshot(page.locator(".harness-settings"), f"preset-confirm-first-{lang}")
    page.wait_for_timeout(500)
    assert presets_of(stack, account) == {}

    panel = open_card(page, harness, account, lang)
    section = panel.locator('[data-slot="repeats"]')
    section.locator("[data-repeat-more]").click()
    panel.locator('[data-control="stage"]').select_option(str(WON))
    section.locator('[data-action="repeat-create"]').click()
    assert said in section.locator('[data-slot="repeat-error"]').inner_text()
    page.wait_for_timeout(500)
    assert repeats_of(stack, account) == []
    # answered, the same press saves
    panel.locator('[data-action="stage-yes"]').click()
    section.locator('[data-action="repeat-create"]').click()
    section.locator('[data-slot="repeat-done"]').wait_for()
    assert [r["rule"]["status_id"] for r in repeats_of(stack, account)] == [WON]
