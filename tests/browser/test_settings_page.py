"""The widget settings page: licence state, presets (create, rename, edit, delete), last copies and failures."""

from __future__ import annotations

import re
import uuid

import httpx
import pytest

from amo_emulator.seed_demo import USERS, pipeline_id, status_id
from devstack.http import HTTP
from devstack.one_time_token import mint
from tests.browser.conftest import ADMIN, confirm_twice, open_area, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DELIVERY = {"pipeline_id": pipeline_id("Выполнение"), "status_id": status_id("Выполнение", "В работе")}


def backend(stack, account, method, path, **kwargs) -> httpx.Response:
    token = mint(
        secret=stack.client_secret,
        client_id=stack.client_id,
        redirect_uri=stack.redirect_uri,
        account_id=account["id"],
        subdomain=account["subdomain"],
        user_id=ADMIN,
        is_admin=True,
    )
    headers = {"X-Auth-Token": token, "Accept-Language": "ru"}
    return HTTP.request(method, f"{stack.gateway_url}{path}", headers=headers, timeout=30, **kwargs)


def test_presets_are_created_renamed_used_and_deleted(page, harness, stack, account):
    open_area(page, harness, account, "settings")
    root = page.locator(".dealcopy-settings")
    root.wait_for()
    licence = root.locator('[data-slot="licence"]').inner_text()
    assert re.fullmatch(r"Пробный период: осталось 14 дней \(до \d{2}\.\d{2}\.\d{4}\)\.", licence), licence
    assert root.locator(".dealcopy-empty").first.inner_text() == "Шаблонов пока нет."

    root.locator('[data-action="preset-new"]').click()
    editor = root.locator('[data-slot="editor"]')
    editor.locator('[data-action="preset-save"]').click()  # no name yet: refused in place
    assert editor.locator('[data-slot="editor-error"]').inner_text() == "Введите название шаблона."
    editor.locator('[data-control="preset-name"]').fill("Передача в исполнение")
    editor.locator('[data-control="pipeline"]').select_option(str(DELIVERY["pipeline_id"]))
    editor.locator('[data-control="stage"]').select_option(str(DELIVERY["status_id"]))
    editor.locator('[data-control="responsible"]').select_option(str(USERS["Артем Иванович"]))
    editor.locator('[data-control="contacts"]').uncheck()
    editor.locator('[data-action="preset-save"]').click()

    preset = root.locator(".dealcopy-preset")
    preset.wait_for()
    assert preset.locator(".dealcopy-preset__name").inner_text() == "Передача в исполнение"
    assert preset.locator(".dealcopy-preset__summary").inner_text() == "Выполнение → В работе"
    preset_id = preset.get_attribute("data-preset")
    stored = backend(stack, account, "GET", f"/widget/presets/{preset_id}").json()
    assert stored["name"] == "Передача в исполнение"
    assert (stored["rule"]["pipeline_id"], stored["rule"]["status_id"]) == (
        DELIVERY["pipeline_id"],
        DELIVERY["status_id"],
    )
    assert stored["rule"]["responsible"] == {"mode": "fixed", "user_id": USERS["Артем Иванович"]}
    assert stored["rule"]["copy_contacts"] is False
    screenshot(page.locator(".harness-settings"), "settings-ru")

    # rename
    preset.locator('[data-action="preset-rename"]').click()
    preset.locator('[data-control="rename"]').fill("Хендовер в исполнение")
    preset.locator('[data-action="rename-save"]').click()
    page.wait_for_function(
        "() => document.querySelector('.dealcopy-preset__name').textContent === 'Хендовер в исполнение'"
    )
    stored = backend(stack, account, "GET", f"/widget/presets/{preset_id}").json()
    assert stored["name"] == "Хендовер в исполнение"
    assert stored["rule"]["responsible"]["user_id"] == USERS["Артем Иванович"]  # the rule is untouched

    # the preset picker of the lead card fills the form from it
    open_area(page, harness, account, "lcard", lead=24_002_811)
    panel = page.locator(".dealcopy-panel")
    panel.wait_for()
    panel.locator('[data-control="preset"]').select_option(preset_id)
    assert panel.locator('[data-control="pipeline"]').input_value() == str(DELIVERY["pipeline_id"])
    assert panel.locator('[data-control="stage"]').input_value() == str(DELIVERY["status_id"])
    assert panel.locator('[data-control="responsible"]').input_value() == str(USERS["Артем Иванович"])
    assert not panel.locator('[data-control="contacts"]').is_checked()

    # delete takes a second click to confirm
    open_area(page, harness, account, "settings")
    root = page.locator(".dealcopy-settings")
    root.locator(".dealcopy-preset").wait_for()

    def still_there() -> None:
        assert backend(stack, account, "GET", f"/widget/presets/{preset_id}").status_code == 200

    confirm_twice(root.locator('[data-action="preset-delete"]'), "Точно удалить?", still_there)
    root.locator(".dealcopy-empty", has_text="Шаблонов пока нет.").wait_for()
    assert backend(stack, account, "GET", f"/widget/presets/{preset_id}").status_code == 404


def test_settings_page_shows_the_last_copies_and_failures(page, harness, stack, account):
    """Needs GET /widget/activity. English this time."""
    made = backend(
        stack,
        account,
        "POST",
        "/copies",
        json={
            "lead_id": 24_002_811,
            "rule": {"pipeline_id": pipeline_id("Support"), "status_id": status_id("Support", "Переговоры")},
            "idempotency_key": str(uuid.uuid4()),
        },
    )
    assert made.status_code == 201, made.text
    copy_id = made.json()["lead_id"]

    open_area(page, harness, account, "settings", lang="en")
    root = page.locator(".dealcopy-settings")
    root.wait_for()
    assert re.fullmatch(
        r"Trial: 14 days left \(until \d{2}/\d{2}/\d{4}\)\.", root.locator('[data-slot="licence"]').inner_text()
    )
    activity = root.locator('[data-slot="activity"]')
    page.wait_for_selector(
        '.dealcopy-settings [data-slot="activity"] :is([data-table], .dealcopy-empty, .dealcopy-alert)'
    )
    assert activity.locator(".dealcopy-alert").count() == 0, activity.inner_text()
    copies = root.locator('[data-table="copies"]')
    first = copies.locator("tbody tr").first
    assert f"#{copy_id}" in first.inner_text() and "#24002811" in first.inner_text()
    assert "by hand" in first.inner_text()
    assert root.get_by_role("heading", name="Failures").is_visible()
    assert root.locator('[data-table="failures"]').count() == 1 or root.get_by_text("No failures.").is_visible()
    screenshot(page.locator(".harness-settings"), "settings-en")
