"""The lead list mass action (llist-1): five selected deals copied with one rule, progress and per-deal results.

Needs POST /copies/bulk and GET /copies/bulk/{batch_id} of the local stack.
"""

from __future__ import annotations

import pytest

from amo_emulator.seed_demo import pipeline_id, status_id
from tests.browser.conftest import dated, open_area, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SOURCES = [24_002_812, 24_002_813, 24_002_814, 24_002_815, 24_002_816]
RENEWALS = {
    "pipeline_id": pipeline_id("Повторные продажи"),
    "status_id": status_id("Повторные продажи", "Новый запрос"),
}


def test_mass_copy_of_five_deals(page, harness, stack, account):
    open_area(page, harness, account, "llist")
    for lead_id in SOURCES:
        page.locator(f'tr[data-lead="{lead_id}"] .harness-list__check').check()
    page.locator('[data-harness="mass-dealcopy"]').click()

    panel = page.locator(".dealcopy-bulk")
    panel.wait_for()
    assert panel.locator('[data-slot="selected"]').inner_text() == "Выбрано сделок: 5"
    button = panel.locator('[data-action="copy"]')
    assert button.inner_text().strip() == "СКОПИРОВАТЬ (5)"
    panel.locator('[data-control="pipeline"]').select_option(str(RENEWALS["pipeline_id"]))
    panel.locator('[data-control="stage"]').select_option(str(RENEWALS["status_id"]))
    panel.locator('[data-control="responsible"]').select_option("actor")
    button.click()

    page.wait_for_selector('.dealcopy-progress_done, .dealcopy-bulk [data-slot="error"]:not([hidden])', timeout=60_000)
    assert panel.locator('[data-slot="error"]').is_hidden(), panel.locator('[data-slot="error"]').inner_text()
    rows = panel.locator(".dealcopy-bulk__row")
    assert rows.count() == 5
    assert panel.locator('.dealcopy-bulk__row[data-state="done"]').count() == 5, panel.inner_text()
    assert panel.locator('[data-slot="progress"] [data-text]').inner_text() == "Скопировано 5 из 5"
    assert panel.locator("[data-bar]").evaluate("bar => bar.style.width") == "100%"
    screenshot(page.locator(".harness-widget"), "mass-copy-ru")

    copies = {
        int(row.get_attribute("data-lead")): int(row.locator("[data-copy-id]").get_attribute("data-copy-id"))
        for row in rows.all()
    }
    assert set(copies) == set(SOURCES)
    for source_id, copy_id in copies.items():
        source = stack.control.lead(account["id"], source_id)
        copy = stack.control.lead(account["id"], copy_id)
        assert (copy["pipeline_id"], copy["status_id"]) == (RENEWALS["pipeline_id"], RENEWALS["status_id"])
        assert copy["name"] == dated(source["name"])
        assert copy["responsible_user_id"] == 11_000_001  # «я»: the admin who pressed the button
