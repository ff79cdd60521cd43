"""The widget in daily use: every press acts on what is on screen at that moment.

A person types and presses at once, changes a stage and presses «Готово» at once, presses the
list action twice, opens the settings while amoCRM answers 429; each test does that in chromium
and checks the outcome in the emulator or the backend.
"""

from __future__ import annotations

import json
import time

import pytest

from amo_emulator.seed_demo import FIELD, LEAD_IDS, pipeline_id, status_id
from tests.browser.conftest import copied_link, open_area, screenshot, wait_for
from tests.browser.test_trust import (
    captured_posts,
    lead_ids,
    move_and_get_the_dp_copy,
    open_card,
    open_list_action,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SOURCE = 24_002_811


def box_of(locator) -> tuple[float, float, float, float]:
    box = locator.bounding_box()
    return (box["x"], box["y"], box["width"], box["height"])


def under(locator, x: float, y: float) -> bool:
    left, top, width, height = box_of(locator)
    return left <= x <= left + width and top <= y <= top + height


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_type_a_name_and_press_at_once_copies_with_that_name(page, harness, stack, account, lang):
    """The button never moves when the preview refreshes; a press right after typing copies what was typed."""
    panel = open_card(page, harness, account, lang)
    preview = panel.locator('[data-slot="preview"]')
    page.wait_for_selector('.dealcopy-panel [data-slot="preview"][data-state="ready"]')
    button = panel.locator('[data-action="copy"]')
    resting = box_of(button)

    # a change makes the preview stale, then it refreshes with another text: the button stays put
    panel.locator('[data-control="contacts"]').uncheck()
    assert preview.get_attribute("data-state") == "stale"
    assert box_of(button) == resting
    page.wait_for_selector('.dealcopy-panel [data-slot="preview"][data-state="ready"]')
    assert box_of(button) == resting
    screenshot(page.locator(".harness-widget"), f"daily-card-preview-{lang}")

    # a person aims at where the button is, types, and presses without waiting for anything
    x, y, width, height = resting
    before = lead_ids(stack, account)
    panel.locator('[data-control="name"]').fill("Повтор: {name}")
    page.mouse.click(x + width / 2, y + height / 2)
    assert under(button, x + width / 2, y + height / 2)  # busy now: its text changes, not its place
    copied_link(panel)
    made = lead_ids(stack, account) - before
    assert len(made) == 1
    source = stack.control.lead(account["id"], SOURCE)
    copy = stack.control.lead(account["id"], made.pop())
    assert copy["name"] == f"Повтор: {source['name']}"
    assert under(button, x + width / 2, y + height / 2)


def test_a_press_on_the_lower_half_of_copy_right_after_typing_in_the_tree_is_not_lost(page, harness, stack, account):
    """The page scrolled down to an open tree: pressing Copy leaves the field being typed in, the preview goes
    stale, and the browser's scroll anchoring once moved the page 18 px between the press and the release,
    so a press on the button's lower half let go over the panel and copied nothing."""
    panel = open_card(page, harness, account, "en")
    page.wait_for_selector('.dealcopy-panel [data-slot="preview"][data-state="ready"]')
    panel.locator("[data-more]").click()
    lead_node = panel.locator('[data-node="lead"]')
    lead_node.locator("[data-toggle]").click()
    lead_node.locator(f'[data-field-action="{FIELD["Назначение платежа"]}"]').select_option("set")
    before = lead_ids(stack, account)
    lead_node.locator(f'[data-field-rule="{FIELD["Назначение платежа"]}"] [data-field-rule-value]').fill("Продление")
    # the preview has caught up with the chosen action; the typed value is told to the form when the field is left
    page.wait_for_selector('.dealcopy-panel [data-slot="preview"]:is([data-state="ready"], [data-state="error"])')
    button = panel.locator('[data-action="copy"]')
    button.scroll_into_view_if_needed()
    *_, height = box_of(button)
    button.click(position={"x": 20, "y": height - 4})
    link = copied_link(panel)
    assert lead_ids(stack, account) - before == {int(link.get_attribute("data-copy-id"))}
    copy = stack.control.lead(account["id"], int(link.get_attribute("data-copy-id")))
    values = {f["field_id"]: f["values"] for f in copy["custom_fields_values"]}
    assert values[FIELD["Назначение платежа"]][0]["value"] == "Продление"


def test_done_pressed_right_after_a_stage_change_saves_the_new_stage(page, harness, stack, account):
    """«Готово» within 100 ms of a change waits for that change's signature: the action runs the new stage."""
    trigger = status_id("Воронка", "Передать партнёру")
    open_area(page, harness, account, "dp", pipeline=pipeline_id("Воронка"), status=trigger)
    form = page.locator(".dealcopy-dp")
    form.locator(".dealcopy-form").wait_for()
    form.locator('[data-control="pipeline"]').select_option(str(pipeline_id("Выполнение")))
    form.locator('[data-control="stage"]').select_option(str(status_id("Выполнение", "В работе")))
    page.wait_for_selector('.dealcopy-dp[data-sign-state="ok"]')  # the first choice is signed and ready

    chosen = status_id("Выполнение", "Проверка")
    # in the page itself, so the 50 ms between the change and the press are not Playwright's round trips
    page.evaluate(
        """(chosen) => {
            const stage = document.querySelector('.dealcopy-dp [data-control="stage"]');
            stage.value = chosen;
            stage.dispatchEvent(new Event('change', {bubbles: true}));
            setTimeout(() => document.querySelector('.js-trigger-save').click(), 50);
        }""",
        str(chosen),
    )
    page.wait_for_function("window.harness.dpRegistered")
    saved = page.evaluate("window.harness.dpSaved")
    assert json.loads(saved["rule"])["status_id"] == chosen and saved["signature"]

    # the action amoCRM now holds makes its copy in the stage chosen last
    copy = move_and_get_the_dp_copy(page, harness, stack, account, trigger)
    assert (copy["pipeline_id"], copy["status_id"]) == (pipeline_id("Выполнение"), chosen)


def test_done_pressed_on_a_rule_the_backend_refuses_saves_nothing_and_says_so(page, harness, stack, account):
    open_area(page, harness, account, "dp", pipeline=pipeline_id("Воронка"), status=status_id("Воронка", "Переговоры"))
    form = page.locator(".dealcopy-dp")
    form.locator(".dealcopy-form").wait_for()
    page.wait_for_selector('.dealcopy-dp[data-sign-state="ok"]')
    form.locator('[data-control="name"]').fill("{name} {oops}")
    page.locator(".js-trigger-save").click()
    page.wait_for_selector('.dealcopy-dp[data-sign-state="error"]')
    assert "Действие не сохранено" in form.locator('[data-slot="status"]').inner_text()
    assert form.locator('[data-role="name_template"] [data-error]').is_visible()  # the cause, at its control
    page.wait_for_timeout(500)
    assert page.evaluate("window.harness.dpSaved") is None  # amoCRM saved nothing: the dialog is still open
    assert page.locator('[data-action="send_widget_hook"]').is_visible()


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_settings_opened_while_amocrm_answers_429_show_progress_then_a_retry(page, harness, stack, account, lang):
    """Progress within 1 s; within 5 s the content or a clear message with a retry; the retry loads it.

    The retry is pressed while amoCRM still answers 429: the slow notice waits beside its request, whose
    late answer still draws the page, so pressed after the faults end it would race that answer. A press
    removes the page's first load, so whatever draws the settings afterwards is the retry's own load.
    """
    stack.control.add_fault(account["id"], kind="429", count=1000, path_prefix="/api/v4")
    try:
        opened = time.monotonic()
        open_area(page, harness, account, "settings", lang=lang)
        root = page.locator(".dealcopy-settings-root")
        root.locator(".dealcopy-spinner").wait_for(timeout=1000)
        assert time.monotonic() - opened < 1 + 1  # the page itself and its scripts load within the first second
        content = root.locator(".dealcopy-settings")
        retry = root.locator('[data-action="retry-load"]')
        page.wait_for_selector(
            ".dealcopy-settings-root .dealcopy-settings, .dealcopy-settings-root [data-action='retry-load']",
            timeout=5000 - 1000 * (time.monotonic() - opened) + 1000,
        )
        assert time.monotonic() - opened < 5 + 1
        if content.count() == 0:
            text = root.inner_text()
            assert ("amoCRM" in text) and ("Повторить" if lang == "ru" else "Retry") in text, text
            assert not any(code in text for code in ("429", "amocrm-unavailable", "http-"))
            screenshot(page.locator(".harness-settings"), f"daily-settings-slow-{lang}")
            retry.first.click()
            retry.first.wait_for(state="detached", timeout=1000)  # the page is drawn afresh, loading again
    finally:
        stack.control.clear_faults(account["id"])
    content.wait_for(timeout=30_000)
    assert root.locator('[data-slot="licence"]').inner_text()


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_list_action_pressed_twice_says_what_it_made_and_asks(page, harness, stack, account, lang):
    """The second press for the same deals and rule makes nothing until the person confirms."""
    posts = captured_posts(page, "/copies/bulk")
    panel = open_list_action(page, harness, account, lang, LEAD_IDS[1:4])
    button = panel.locator('[data-action="copy"]')
    before = lead_ids(stack, account)
    button.click()
    page.wait_for_selector(".dealcopy-progress_done", timeout=60_000)
    assert len(lead_ids(stack, account) - before) == 3

    button.click()
    again = panel.locator('[data-slot="again"]')
    again.wait_for()
    expected = "уже скопированы 3 из 3" if lang == "ru" else "3 of 3 chosen deals were already copied"
    assert expected in again.inner_text()
    assert panel.locator('[data-slot="error"]').is_hidden()
    screenshot(page.locator(".harness-side"), f"daily-bulk-again-{lang}")
    page.wait_for_timeout(1500)  # nothing may be made meanwhile
    assert len(lead_ids(stack, account) - before) == 3
    again.locator('[data-action="again-no"]').click()
    assert again.is_hidden()

    button.click()
    again.wait_for()
    again.locator('[data-action="again-yes"]').click()
    wait_for(lambda: len(lead_ids(stack, account) - before) == 6, timeout=60, what="the confirmed second set")
    page.wait_for_timeout(100)  # Playwright delivers page events only while it is called
    assert [body.get("confirm_again", False) for body in posts] == [False, False, False, True]


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_card_opened_while_amocrm_answers_429_shows_its_panel_or_a_retry_within_5_s(
    page, harness, stack, account, lang
):
    stack.control.add_fault(account["id"], kind="429", count=1000, path_prefix="/api/v4")
    try:
        opened = time.monotonic()
        open_area(page, harness, account, "lcard", lang=lang, lead=SOURCE)
        root = page.locator(".dealcopy-root")
        root.locator(".dealcopy-spinner").first.wait_for(timeout=1000)
        page.wait_for_selector(
            ".dealcopy-root .dealcopy-panel [data-action='copy'], .dealcopy-root [data-action='retry-load']",
            timeout=max(500, 5000 - 1000 * (time.monotonic() - opened) + 1000),
        )
        assert time.monotonic() - opened < 5 + 1
        if root.locator(".dealcopy-panel").count():
            # drawn: the preview says it is slow (or shows itself) within 5 s of the panel, never a bare spinner
            page.wait_for_selector(
                ".dealcopy-preview[data-state='slow'], .dealcopy-preview[data-state='ready'],"
                " .dealcopy-preview[data-state='error']",
                timeout=5000,
            )
        screenshot(page.locator(".harness-widget"), f"daily-card-slow-{lang}")
    finally:
        stack.control.clear_faults(account["id"])
