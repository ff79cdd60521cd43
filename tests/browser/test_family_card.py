"""The card's «Копии сделки: N» (the deal's copy family) in chromium, in Russian and English."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from amo_emulator.seed_demo import pipeline_id, status_id
from devstack.client import call_widget
from tests.browser.conftest import open_area, publish, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SOURCE = 24_002_811
SUPPORT = {"pipeline_id": pipeline_id("Support"), "status_id": status_id("Support", "Переговоры")}


def copy_of(stack, account, lead_id: int) -> int:
    body = {"lead_id": lead_id, "rule": SUPPORT, "idempotency_key": str(uuid.uuid4())}
    answer = call_widget(stack.info, "POST", "/copies", account, json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()["lead_id"]


def keep(path: Path) -> None:
    publish(path)


@pytest.mark.parametrize(
    ("lang", "title", "deleted"), [("ru", "Копии сделки: 3", "удалена"), ("en", "Copies of this deal: 3", "deleted")]
)
def test_the_card_lists_the_deals_copies_with_links(page, harness, stack, account, lang, title, deleted):
    first, second = copy_of(stack, account, SOURCE), copy_of(stack, account, SOURCE)
    grandchild = copy_of(stack, account, first)
    stack.control.delete_lead(account["id"], second)

    open_area(page, harness, account, "lcard", lead=SOURCE, lang=lang)
    family = page.locator('.dealcopy-panel [data-slot="family"]')
    family.locator(".dealcopy-family__title").wait_for()
    assert family.locator(".dealcopy-family__title").inner_text() == title
    links = family.locator(".dealcopy-family__link")
    assert [int(x) for x in links.evaluate_all("els => els.map(e => e.dataset.copyId)")] == [first, second, grandchild]
    assert links.first.get_attribute("href").endswith(f"/leads/detail/{first}")
    rows = family.locator(".dealcopy-family__copy")
    assert rows.nth(0).locator(".dealcopy-family__stage").inner_text() == "Support → Переговоры"
    assert rows.nth(1).locator(".dealcopy-family__stage").inner_text() == deleted
    assert rows.nth(2).get_attribute("data-generation") == "2"
    keep(screenshot(page.locator(".harness-widget"), f"card-family-{lang}"))

    open_area(page, harness, account, "lcard", lead=first, lang=lang)
    origin = page.locator('.dealcopy-panel [data-slot="family"] .dealcopy-family__origin')
    origin.wait_for()
    assert origin.locator("a").get_attribute("data-copy-id") == str(SOURCE)
