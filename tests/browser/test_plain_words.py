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

    shown = panel.inner_text()  # what a person sees: a closed <details> shows only its summary
    assert not [code for code in TECHNICAL if code in shown], shown
    detail = panel.locator('[data-slot="error"] [data-detail]')
    assert detail.get_attribute("open") is None
    assert detail.locator("summary").inner_text() == more
    assert "name_template" in detail.locator(".dealcopy-detail__body").text_content()  # for support, folded
    screenshot(page.locator(".harness-widget"), f"card-name-error-{lang}")
