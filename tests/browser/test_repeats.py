"""Copies later and again, in the widget: the card's preview and «Повторять», the DP dialog's «Создать позже», the
pending copies on the card and the settings page, clicked through in chromium against the local stack.

Each check reads the backend or the emulator (not only the page): the repeat is stored and paused,
the saved DP rule carries its `delay`, the hook scheduled a pending copy and the card cancelled it.
"""

from __future__ import annotations

import json

import pytest

from amo_emulator.seed_demo import FIELD, pipeline_id, status_id
from devstack.client import call_widget
from tests.browser.conftest import confirm_twice, open_area, screenshot, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.slow]
# An account time (Moscow) labelled with its zone, and the browser's own (the tests' chromium runs in UTC).
TEN_MSK_RU = "10:00 (Europe/Moscow, GMT+3; у вас 07:00 UTC)"
NINE_MSK_EN = "09:00 (Europe/Moscow, GMT+3; your time 06:00 UTC)"

SOURCE = 24_002_811  # the manual's deal
TRIGGER = {"pipeline": pipeline_id("Воронка"), "status": status_id("Воронка", "Передать партнёру")}
PARTNERS = {"pipeline_id": pipeline_id("Партнёры"), "status_id": status_id("Партнёры", "Новая заявка")}


def repeats_of(stack, account, lead_id=SOURCE):
    answer = call_widget(stack.info, "GET", f"/repeats?lead_id={lead_id}", account)
    assert answer.status_code == 200, answer.text
    return answer.json()["repeats"]


def pending_of(stack, account, lead_id=SOURCE):
    answer = call_widget(stack.info, "GET", f"/scheduled?lead_id={lead_id}", account)
    assert answer.status_code == 200, answer.text
    return answer.json()["scheduled"]


def open_card(page, harness, account, lang="ru"):
    open_area(page, harness, account, "lcard", lang=lang, lead=SOURCE)
    panel = page.locator(".dealcopy-panel")
    panel.wait_for()
    page.wait_for_selector('.dealcopy-preview[data-state="ready"]')
    return panel


def test_card_preview_then_a_monthly_repeat_set_up_and_paused(page, harness, stack, account):
    panel = open_card(page, harness, account)
    preview = panel.locator(".dealcopy-preview")
    text = preview.inner_text()
    assert "Что получит копия" in text and "Будет перенесено:" in text
    assert "Куда: Воронка → Переговоры" in text
    # the preview sits after the copy button (its refresh never moves it) and follows the form (debounced)
    assert page.evaluate(
        """() => {
            const box = document.querySelector('.dealcopy-preview');
            const button = document.querySelector('.dealcopy-panel [data-action="copy"]');
            return !!(box.compareDocumentPosition(button) & Node.DOCUMENT_POSITION_PRECEDING);
        }"""
    )
    panel.locator('[data-control="pipeline"]').select_option(str(PARTNERS["pipeline_id"]))
    page.wait_for_function(
        """() => {
            const box = document.querySelector('.dealcopy-preview');
            return box.dataset.state === 'ready' && box.innerText.includes('Куда: Партнёры →');
        }"""
    )
    # anonymised copies are not offered on the card, but unticked contacts show as skipped with a reason
    panel.locator('[data-control="contacts"]').uncheck()
    page.wait_for_function(
        """() => document.querySelector('.dealcopy-preview').dataset.state === 'ready'
            && !!document.querySelector('.dealcopy-preview [data-preview-skipped]')"""
    )
    skipped = preview.locator("[data-preview-skipped]")
    assert "Не будет перенесено:" in skipped.inner_text()
    assert "Контакты" in skipped.inner_text()
    panel.locator('[data-control="contacts"]').check()
    assert {lead["id"] for lead in stack.control.state(account["id"])["leads"]}  # nothing was created by a preview
    before = len(stack.control.state(account["id"])["leads"])

    # «Повторять»: every month at 09:30, three copies
    section = panel.locator('[data-slot="repeats"]')
    assert section.locator("[data-empty]").inner_text() == "Повторов нет."
    section.locator("[data-repeat-more]").click()
    assert "Повторять" in section.locator("[data-repeat-more]").inner_text()
    section.locator('[data-control="repeat-at"]').fill("09:30")
    section.locator('[data-control="repeat-end"]').select_option("count")
    section.locator('[data-control="repeat-count"]').fill("3")
    section.locator('[data-action="repeat-create"]').click()
    section.locator('[data-slot="repeat-done"]').wait_for()
    assert section.locator('[data-slot="repeat-done"]').inner_text().startswith("Повтор создан. Следующая копия:")
    item = section.locator("[data-repeat]")
    item.wait_for()
    assert item.get_attribute("data-state") == "active"
    assert "Каждый месяц в 09:30 (Europe/Moscow) от" in item.inner_text() and "копий: 3" in item.inner_text()
    assert "Следующая копия:" in item.inner_text() and "(№1)" in item.inner_text()

    stored = repeats_of(stack, account)
    assert len(stored) == 1
    repeat = stored[0]
    assert repeat["state"] == "active"
    assert repeat["schedule"]["every"] == {"unit": "month", "n": 1}
    assert repeat["schedule"]["at"] == "09:30" and repeat["schedule"]["count"] == 3
    assert (repeat["rule"]["pipeline_id"], repeat["rule"]["status_id"]) == (
        PARTNERS["pipeline_id"],
        PARTNERS["status_id"],
    )
    screenshot(page.locator(".harness-widget"), "card-repeat-ru")

    item.locator('[data-action="repeat-pause"]').click()
    page.wait_for_selector('[data-repeat][data-state="paused"]')
    assert "Приостановлен" in section.locator("[data-repeat]").inner_text()
    assert repeats_of(stack, account)[0]["state"] == "paused"
    screenshot(page.locator(".harness-widget"), "card-repeat-paused-ru")

    section.locator('[data-action="repeat-resume"]').click()
    page.wait_for_selector('[data-repeat][data-state="active"]')
    assert repeats_of(stack, account)[0]["state"] == "active"
    # delete asks with a second click
    confirm_twice(section.locator('[data-action="repeat-delete"]'), "Точно удалить?")
    section.locator("[data-empty]").wait_for()
    assert repeats_of(stack, account) == []
    assert len(stack.control.state(account["id"])["leads"]) == before  # setting up a repeat copies nothing now


def test_card_repeat_in_english_refuses_an_end_before_the_start(page, harness, stack, account):
    panel = open_card(page, harness, account, lang="en")
    assert "What the copy gets" in panel.locator(".dealcopy-preview").inner_text()
    section = panel.locator('[data-slot="repeats"]')
    section.locator("[data-repeat-more]").click()
    assert section.locator("[data-repeat-more]").inner_text().strip() == "Repeat"
    section.locator('[data-control="repeat-unit"]').select_option("week")
    section.locator('[data-control="repeat-n"]').fill("2")
    section.locator('[data-control="repeat-start"]').fill("2031-03-10")
    section.locator('[data-control="repeat-end"]').select_option("until")
    section.locator('[data-control="repeat-until"]').fill("2031-03-01")
    section.locator('[data-action="repeat-create"]').click()
    error = section.locator('[data-role="until"] .dealcopy-field__error')
    error.wait_for()
    assert "until must be after start" in error.inner_text()
    assert repeats_of(stack, account) == []  # nothing scheduled

    section.locator('[data-control="repeat-until"]').fill("2031-12-31")
    section.locator('[data-action="repeat-create"]').click()
    item = section.locator("[data-repeat]")
    item.wait_for()
    assert "Every 2 weeks at 10:00 (Europe/Moscow) from 10/03/2031 until 31/12/2031" in item.inner_text()
    assert "Next copy: 24/03/2031" in item.inner_text()
    assert section.locator(".dealcopy-field__error").count() == 0  # the corrected date is no longer marked
    screenshot(page.locator(".harness-widget"), "card-repeat-en")


def test_delayed_rule_saved_from_the_dp_dialog(page, harness, stack, account):
    """«Создать позже» relative to a date field: the saved, signed rule carries the delay."""
    open_area(page, harness, account, "dp", pipeline=TRIGGER["pipeline"], status=TRIGGER["status"])
    dialog = page.locator('[data-action="send_widget_hook"]')
    form = dialog.locator(".dealcopy-dp")
    later = form.locator('[data-slot="later"]')
    later.wait_for()
    page.wait_for_selector('.dealcopy-dp[data-sign-state="ok"]')
    assert "Создать позже" in later.inner_text()
    assert later.locator("[data-later-body]").is_hidden()
    later.locator('[data-control="later"]').check()
    assert later.locator('[data-control="later-cancel"]').is_checked()  # cancel-if-closed is on by default
    later.locator('[data-control="later-kind"]').select_option("field")
    # only date fields are offered
    options = later.locator('[data-control="later-field"] option').all_inner_texts()
    assert {"Дата рождения", "Дата и время встречи", "Дата отгрузки"} <= set(options)
    assert "ИНН" not in options and "Спецификация" not in options
    later.locator('[data-control="later-field"]').select_option(str(FIELD["Дата отгрузки"]))
    later.locator('[data-control="later-offset"]').fill("-30")
    later.locator('[data-control="later-at"]').fill("10:00")
    form.locator('[data-control="pipeline"]').select_option(str(PARTNERS["pipeline_id"]))
    page.wait_for_function(
        """() => {
            const root = document.querySelector('.dealcopy-dp');
            const rule = document.querySelector('[data-action="send_widget_hook"] input[name="rule"]').value;
            return root.dataset.signState === 'ok' && rule.includes('"offset_days":-30');
        }"""
    )
    screenshot(dialog, "dp-later-ru")

    dialog.locator(".js-trigger-save").click()
    page.wait_for_function("window.harness.dpRegistered")
    saved = page.evaluate("window.harness.dpSaved")
    assert saved["signature"] and not saved.get("invalid")
    rule = json.loads(saved["rule"])
    assert rule["delay"] == {
        "cancel_if_closed": True,
        "field": {"field_id": FIELD["Дата отгрузки"], "offset_days": -30, "at": "10:00"},
    }
    assert rule["pipeline_id"] == PARTNERS["pipeline_id"]

    # reopened, the dialog shows the saved delay
    open_area(page, harness, account, "dp", pipeline=TRIGGER["pipeline"], status=TRIGGER["status"])
    later = page.locator('[data-action="send_widget_hook"] [data-slot="later"]')
    later.wait_for()
    assert later.locator('[data-control="later"]').is_checked()
    assert later.locator('[data-control="later-kind"]').input_value() == "field"
    assert later.locator('[data-control="later-field"]').input_value() == str(FIELD["Дата отгрузки"])
    assert later.locator('[data-control="later-offset"]').input_value() == "-30"


def test_delay_after_the_event_schedules_a_copy_the_card_cancels(page, harness, stack, account):
    """English dialog: a copy two days after the event; the hook schedules it, the card lists and cancels it."""
    open_area(page, harness, account, "dp", lang="en", pipeline=TRIGGER["pipeline"], status=TRIGGER["status"])
    dialog = page.locator('[data-action="send_widget_hook"]')
    later = dialog.locator('[data-slot="later"]')
    later.wait_for()
    later.locator('[data-control="later"]').check()
    assert "Create later" in later.inner_text()
    later.locator('[data-control="later-days"]').fill("2")
    later.locator('[data-control="later-hours"]').fill("3")
    dialog.locator('.dealcopy-dp [data-control="pipeline"]').select_option(str(PARTNERS["pipeline_id"]))
    page.wait_for_function(
        """() => {
            const rule = document.querySelector('[data-action="send_widget_hook"] input[name="rule"]').value;
            return document.querySelector('.dealcopy-dp').dataset.signState === 'ok' && rule.includes('"hours":3');
        }"""
    )
    screenshot(dialog, "dp-later-en")
    dialog.locator(".js-trigger-save").click()
    page.wait_for_function("window.harness.dpRegistered")
    rule = json.loads(page.evaluate("window.harness.dpSaved")["rule"])
    assert rule["delay"] == {"cancel_if_closed": True, "after_event": {"days": 2, "hours": 3}}

    before = len(stack.control.state(account["id"])["leads"])
    stack.control.move_lead(account["id"], SOURCE, TRIGGER["pipeline"], TRIGGER["status"])
    pending = wait_for(lambda: pending_of(stack, account), timeout=40, what="the pending delayed copy")
    assert len(pending) == 1 and pending[0]["delay"]["after_event"] == {"days": 2, "hours": 3}
    assert len(stack.control.state(account["id"])["leads"]) == before  # not copied now

    open_card(page, harness, account, lang="en")
    row = page.locator("[data-pending]")
    row.wait_for()
    assert "Due " in row.inner_text() and "2 d 3 h after the event, if the deal is still open" in row.inner_text()
    screenshot(page.locator(".harness-widget"), "card-pending-en")
    confirm_twice(row.locator('[data-action="pending-cancel"]'), "Really cancel?")
    page.locator('[data-list="pending"] [data-empty]').wait_for()
    assert pending_of(stack, account) == []


def every_3_days(stack, account, key: str, **extra) -> dict:
    """A repeat made through the backend, as another user's widget would: every 3 days at 08:15 from
    31 January 2031 into the partners' pipeline; `extra` adds fields (`count`, `until`)."""
    body = {
        "lead_id": SOURCE,
        "rule": {"pipeline_id": PARTNERS["pipeline_id"], "status_id": PARTNERS["status_id"]},
        "every": {"unit": "day", "n": 3},
        "at": "08:15",
        "start": "2031-01-31",
        "idempotency_key": key,
        **extra,
    }
    made = call_widget(stack.info, "POST", "/repeats", account, json=body)
    assert made.status_code == 201, made.text
    return made.json()


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_settings_page_lists_the_accounts_repeats(page, harness, stack, account, lang):
    every_3_days(stack, account, f"browser-settings-{lang}")
    open_area(page, harness, account, "settings", lang=lang)
    section = page.locator('[data-slot="schedules"]')
    item = section.locator("[data-repeat]")
    item.wait_for()
    title = {"ru": "Повторы и отложенные копии", "en": "Repeats and pending copies"}[lang]
    assert section.locator(".dealcopy-section__title").inner_text() == title
    every = {
        "ru": "Каждые 3 дн. в 08:15 (Europe/Moscow) от 31.01.2031",
        "en": "Every 3 days at 08:15 (Europe/Moscow) from 31/01/2031",
    }[lang]
    assert every in item.inner_text()
    # the deal by name, not by number
    source_name = stack.control.lead(account["id"], SOURCE)["name"]
    lead_link = item.locator(".dealcopy-sched__lead")
    page.wait_for_function("() => !document.querySelector('.dealcopy-sched__lead').textContent.includes('#')")
    assert lead_link.inner_text() == {"ru": f"Сделка «{source_name}»", "en": f"Deal «{source_name}»"}[lang]
    section.locator('[data-list="pending"]').wait_for()
    screenshot(section, f"settings-schedules-{lang}")
    # the settings page changes a calendar with the same form: every 3 days -> every 5 days
    item.locator('[data-action="repeat-edit"]').click()
    editor = item.locator('[data-slot="repeat-editor"]')
    editor.locator('[data-control="repeat-n"]').fill("5")
    editor.locator('[data-action="repeat-save"]').click()
    section.locator("[data-repeat-saved]").wait_for()
    changed = repeats_of(stack, account)[0]
    assert changed["schedule"]["every"] == {"unit": "day", "n": 5}
    assert changed["next_at"] == "2031-02-05T05:15:00Z"  # was 3 Feb
    item.locator('[data-action="repeat-pause"]').click()
    page.wait_for_selector('[data-slot="schedules"] [data-repeat][data-state="paused"]')
    assert repeats_of(stack, account)[0]["state"] == "paused"


def test_card_repeat_shows_its_next_date_then_changes_from_monthly_to_every_two_weeks(page, harness, stack, account):
    """The form says the next date before saving (the backend's rule, in the account's zone); «Изменить»
    reuses it inside the row and sends PATCH with the changed calendar; errors sit beside the fields."""
    panel = open_card(page, harness, account)
    section = panel.locator('[data-slot="repeats"]')
    section.locator("[data-repeat-more]").click()
    body = section.locator("[data-repeat-body]")
    upcoming = body.locator('[data-slot="repeat-next"]')
    body.locator('[data-control="repeat-start"]').fill("2031-01-31")
    # month steps clamp to the month's end: 31 Jan -> 28 Feb, at 10:00 Europe/Moscow
    assert upcoming.inner_text() == f"По этому расписанию ближайшая копия: 28.02.2031, {TEN_MSK_RU} (№1)."
    body.locator('[data-control="repeat-unit"]').select_option("week")
    assert upcoming.inner_text() == f"По этому расписанию ближайшая копия: 07.02.2031, {TEN_MSK_RU} (№1)."
    body.locator('[data-control="repeat-unit"]').select_option("month")
    body.locator('[data-control="repeat-start"]').fill("2020-01-31")
    body.locator('[data-control="repeat-end"]').select_option("count")
    body.locator('[data-control="repeat-count"]').fill("2")
    assert upcoming.inner_text().startswith("По этому расписанию копий не будет")
    body.locator('[data-control="repeat-end"]').select_option("never")
    body.locator('[data-control="repeat-start"]').fill("2031-01-31")
    body.locator('[data-action="repeat-create"]').click()
    item = section.locator("[data-repeat]")
    item.wait_for()
    created = repeats_of(stack, account)[0]
    assert created["next_at"] == "2031-02-28T07:00:00Z"  # what the form said
    assert f"Следующая копия: 28.02.2031, {TEN_MSK_RU} (№1)" in item.inner_text()

    item.locator('[data-action="repeat-edit"]').click()
    editor = item.locator('[data-slot="repeat-editor"]')
    editor.wait_for()
    assert item.locator('[data-action="repeat-edit"]').is_hidden()
    assert editor.locator('[data-control="repeat-unit"]').input_value() == "month"
    assert editor.locator('[data-control="repeat-start"]').input_value() == "2031-01-31"
    assert editor.locator('[data-control="repeat-at"]').input_value() == "10:00"
    assert editor.locator('[data-control="repeat-end"]').input_value() == "never"
    editor_next = editor.locator('[data-slot="repeat-next"]')
    assert editor_next.inner_text() == f"После сохранения следующая копия: 28.02.2031, {TEN_MSK_RU} (№1)."
    editor.locator('[data-control="repeat-n"]').fill("2")
    editor.locator('[data-control="repeat-unit"]').select_option("week")
    assert editor_next.inner_text() == f"После сохранения следующая копия: 14.02.2031, {TEN_MSK_RU} (№1)."
    # a wrong end is refused by the backend and shown beside its field; nothing changes
    editor.locator('[data-control="repeat-end"]').select_option("until")
    editor.locator('[data-control="repeat-until"]').fill("2031-01-10")
    editor.locator('[data-action="repeat-save"]').click()
    error = editor.locator('[data-role="until"] .dealcopy-field__error')
    error.wait_for()
    assert error.inner_text()
    assert repeats_of(stack, account)[0]["schedule"] == created["schedule"]
    editor.locator('[data-control="repeat-end"]').select_option("count")
    editor.locator('[data-control="repeat-count"]').fill("5")
    screenshot(page.locator(".harness-widget"), "card-repeat-edit-ru")
    editor.locator('[data-action="repeat-save"]').click()

    notice = section.locator("[data-repeat-saved]")
    notice.wait_for()
    assert notice.inner_text() == f"Расписание изменено. Следующая копия: 14.02.2031, {TEN_MSK_RU} (№1)."
    assert section.locator('[data-slot="repeat-editor"]').count() == 0
    assert "Каждые 2 нед. в 10:00 (Europe/Moscow) от 31.01.2031, копий: 5" in item.inner_text()
    stored = repeats_of(stack, account)
    assert len(stored) == 1 and stored[0]["repeat_id"] == created["repeat_id"]
    assert stored[0]["schedule"]["every"] == {"unit": "week", "n": 2}
    assert (stored[0]["schedule"]["count"], stored[0]["schedule"]["until"]) == (5, None)
    assert stored[0]["schedule"]["start"] == "2031-01-31" and stored[0]["schedule"]["at"] == "10:00"
    assert (stored[0]["state"], stored[0]["next_n"], stored[0]["next_at"]) == ("active", 1, "2031-02-14T07:00:00Z")
    screenshot(page.locator(".harness-widget"), "card-repeat-changed-ru")


def test_card_repeat_changed_in_english_drops_its_end(page, harness, stack, account):
    """Every 3 days for 3 copies -> every month at 09:00 without an end: the count is cleared (null)."""
    assert every_3_days(stack, account, "browser-change-en", count=3)["next_at"] == "2031-02-03T05:15:00Z"
    panel = open_card(page, harness, account, lang="en")
    item = panel.locator('[data-slot="repeats"] [data-repeat]')
    item.wait_for()
    item.locator('[data-action="repeat-edit"]').click()
    editor = item.locator('[data-slot="repeat-editor"]')
    editor.wait_for()
    assert editor.locator('[data-control="repeat-end"]').input_value() == "count"
    assert editor.locator('[data-control="repeat-count"]').input_value() == "3"
    editor.locator('[data-control="repeat-unit"]').select_option("month")
    editor.locator('[data-control="repeat-n"]').fill("1")
    editor.locator('[data-control="repeat-at"]').fill("09:00")
    editor.locator('[data-control="repeat-end"]').select_option("never")
    upcoming = editor.locator('[data-slot="repeat-next"]')
    assert upcoming.inner_text() == f"Once saved, the next copy is on 28/02/2031, {NINE_MSK_EN} (#1)."
    screenshot(page.locator(".harness-widget"), "card-repeat-edit-en")
    editor.locator('[data-action="repeat-save"]').click()
    notice = panel.locator("[data-repeat-saved]")
    notice.wait_for()
    assert notice.inner_text() == f"Calendar changed. Next copy: 28/02/2031, {NINE_MSK_EN} (#1)."
    assert "Every month at 09:00 (Europe/Moscow) from 31/01/2031" in item.inner_text()
    assert "3 copies" not in item.inner_text()
    stored = repeats_of(stack, account)[0]
    assert stored["schedule"]["every"] == {"unit": "month", "n": 1} and stored["schedule"]["at"] == "09:00"
    assert stored["schedule"]["count"] is None and stored["schedule"]["until"] is None
    assert stored["next_at"] == "2031-02-28T06:00:00Z"  # moved from 3 Feb 08:15 MSK
    screenshot(page.locator(".harness-widget"), "card-repeat-changed-en")
