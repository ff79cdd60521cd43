"""A widget a manager trusts every day — honest anonymisation, honest results, safe defaults.

Each test clicks through one point in chromium (Russian and English), checks the outcome in the
emulator, and leaves a screenshot in test-artifacts/screenshots/.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from amo_emulator.seed_demo import CATALOGS, FIELD, LEAD_IDS, pipeline_id, status_id
from dealcopy.copying.rules import DEFAULT_TIMEZONE as ACCOUNT_ZONE
from tests.browser.conftest import copied_link, open_area, screenshot, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SOURCE = 24_002_811  # the manual's deal
WON = 142


def lead_ids(stack, account) -> set[int]:
    return {lead["id"] for lead in stack.control.state(account["id"])["leads"] if not lead.get("is_deleted")}


def open_card(page, harness, account, lang="ru", lead=SOURCE):
    open_area(page, harness, account, "lcard", lang=lang, lead=lead)
    panel = page.locator(".dealcopy-panel")
    panel.locator('[data-control="stage"]').wait_for()
    return panel


def open_tree(panel):
    panel.locator("[data-more]").click()
    for toggle in panel.locator("[data-toggle]").all():
        toggle.click()


def copy_and_wait(panel):
    panel.locator('[data-action="copy"]').click()
    link = copied_link(panel)
    return int(link.get_attribute("data-copy-id"))


def open_list_action(page, harness, account, lang, chosen):
    """The lead list with `chosen` ticked and the mass action's panel open and ready."""
    open_area(page, harness, account, "llist", lang=lang)
    for lead_id in chosen:
        page.locator(f'tr[data-lead="{lead_id}"] .harness-list__check').check()
    page.locator('[data-harness="mass-dealcopy"]').click()
    panel = page.locator(".dealcopy-bulk")
    panel.locator('[data-action="copy"]').wait_for()
    return panel


def move_and_get_the_dp_copy(page, harness, stack, account, trigger: int) -> dict:
    """A person moves a deal into the `trigger` stage of «Воронка» on its card: the DP action's copy."""
    before = lead_ids(stack, account)
    open_area(page, harness, account, "lcard", lead=LEAD_IDS[1])
    page.locator('[data-harness="move-stage"]').select_option(f"{pipeline_id('Воронка')}:{trigger}")
    page.locator('[data-harness="move"]').click()
    page.wait_for_function("window.harness.moved")
    made = wait_for(lambda: lead_ids(stack, account) - before, timeout=60, what="the DP copy")
    return stack.control.lead(account["id"], made.pop())


def captured_posts(page, path):
    bodies: list[dict] = []
    page.on(
        "request",
        lambda request: (
            bodies.append(json.loads(request.post_data))
            if request.method == "POST" and request.url.endswith(path)
            else None
        ),
    )
    return bodies


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_default_copy_of_the_manuals_deal_says_what_was_carried_and_lists_no_failures(
    page, harness, stack, account, lang
):
    """Pts 2, 3: the copy's name in the form; the result names the deal, its stage and what was carried.

    No «Не перенесено» list for a default copy of the manual's deal.
    """
    panel = open_card(page, harness, account, lang)
    source = stack.control.lead(account["id"], SOURCE)
    name = panel.locator('[data-control="name"]')
    assert name.input_value() == "{name} ({date})"  # a new rule's copies differ by their day
    assert source["name"] in panel.locator("[data-name-preview]").inner_text()
    name.fill("{name} — {date}")
    today_there = datetime.now(ZoneInfo(ACCOUNT_ZONE))  # {date} is the account's today, not the machine's
    today = today_there.strftime("%d.%m.%Y")  # what the backend writes, in either language
    assert today in panel.locator("[data-name-preview]").inner_text()

    copy_id = copy_and_wait(panel)
    result = panel.locator('[data-slot="result"]')
    copy = stack.control.lead(account["id"], copy_id)
    assert copy["name"].startswith(source["name"]) and copy["name"].endswith(today_there.strftime("%d.%m.%Y"))
    assert result.locator("[data-copy-name]").inner_text() == copy["name"]
    assert result.locator("[data-copy-stage]").inner_text() == "Воронка → Переговоры"
    carried = result.locator("[data-carried]").inner_text()
    if lang == "ru":
        assert re.search(r"Перенесено: поля: \d+ · товары и элементы списков: \d+ · контакты: 2 · компания", carried)
    else:
        assert re.search(
            r"Carried over: fields: \d+ · products and list elements: \d+ · contacts: 2 · company", carried
        )
    assert result.locator("[data-failures]").count() == 0, result.inner_text()
    assert "Field is read-only" not in result.inner_text()
    # the button now says what a second press does
    assert panel.locator('[data-action="copy"]').inner_text().strip() in ("СКОПИРОВАТЬ ЕЩЁ РАЗ", "COPY AGAIN")
    screenshot(page.locator(".harness-widget"), f"trust-result-{lang}")


def test_two_presses_150_ms_apart_make_one_deal_and_a_confirmation(page, harness, stack, account):
    """Pt 4: a second press while the first copy runs (or within a minute) asks; it never copies silently."""
    panel = open_card(page, harness, account, "en")
    before = lead_ids(stack, account)
    button = panel.locator('[data-action="copy"]')
    button.click()
    page.wait_for_timeout(150)
    button.click()
    copied_link(panel)
    prompt = panel.locator('[data-slot="repeat"]')
    prompt.wait_for()
    assert "was copied" in prompt.inner_text() and "Make another copy?" in prompt.inner_text()
    page.wait_for_timeout(1500)  # nothing else may arrive
    assert len(lead_ids(stack, account) - before) == 1
    screenshot(page.locator(".harness-widget"), "trust-repeat-en")
    # «No» makes nothing; «Yes» makes exactly one more
    prompt.locator('[data-action="repeat-no"]').click()
    assert prompt.is_hidden()
    button.click()
    prompt.locator('[data-action="repeat-yes"]').click()
    wait_for(lambda: len(lead_ids(stack, account) - before) == 2, what="the confirmed second copy")


def test_half_the_fields_unticked_are_stored_as_exclusions_and_never_reported(page, harness, stack, account):
    """Pts 2, 4: what the user unticked is not a failure; a few unticked fields travel as `exclude_fields`."""
    posts = captured_posts(page, "/copies")
    panel = open_card(page, harness, account, "ru")
    open_tree(panel)
    boxes = panel.locator('[data-node="lead"] [data-field]:not(:disabled)')
    total = boxes.count()
    unticked = []
    for i in range(1, total, 2):  # fewer unticked than ticked: stored as exclusions
        box = boxes.nth(i)
        unticked.append(int(box.get_attribute("data-field")))
        box.uncheck()
    ticked = total - len(unticked)
    assert panel.locator('[data-node="lead"] [data-count]').first.inner_text().startswith(f"{ticked + 2} из ")
    copy_id = copy_and_wait(panel)
    rule = posts[-1]["rule"]
    assert rule["fields"] == "all" and sorted(rule["exclude_fields"]) == sorted(unticked)
    result = panel.locator('[data-slot="result"]').inner_text()
    assert "Не перенесено" not in result, result
    copy = stack.control.lead(account["id"], copy_id)
    carried = {v["field_id"] for v in copy.get("custom_fields_values") or []}
    assert not carried & set(unticked)
    screenshot(page.locator(".harness-widget"), "trust-half-unticked-ru")


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_a_won_deal_preselects_an_open_stage_and_a_closed_stage_asks(page, harness, stack, account, lang):
    """Pt 4: a won source never preselects 142/143; choosing a closed stage asks to confirm."""
    stack.control.move_lead(account["id"], SOURCE, pipeline_id("Воронка"), WON)
    panel = open_card(page, harness, account, lang)
    stage = panel.locator('[data-control="stage"]')
    assert stage.input_value() == str(status_id("Воронка", "Первичный контакт"))
    stage.select_option(str(WON))
    confirm = panel.locator('[data-slot="stage-confirm"]')
    confirm.wait_for()
    assert ("закрытой" if lang == "ru" else "already closed") in confirm.inner_text()
    screenshot(page.locator(".harness-widget"), f"trust-closed-stage-{lang}")
    confirm.locator('[data-action="stage-no"]').click()
    assert stage.input_value() == str(status_id("Воронка", "Первичный контакт"))
    assert confirm.is_hidden()


def test_lists_element_by_element(page, harness, stack, account):
    """Pt 5: the deal's products, legal entities and invoices with quantities, each with its tick."""
    panel = open_card(page, harness, account, "ru")
    open_tree(panel)
    source = stack.control.lead(account["id"], SOURCE)
    linked = [link for link in source["links"] if link["to_entity_type"] == "catalog_elements"]
    products = panel.locator(f'[data-node="catalog"][data-catalog="{CATALOGS["Товары"]}"]')
    product_boxes = products.locator("[data-element]")
    assert product_boxes.count() == sum(1 for x in linked if x["metadata"]["catalog_id"] == CATALOGS["Товары"])
    assert "×" in products.locator(".dealcopy-check_element").first.inner_text()
    # «Копировать товары сделки» and «Список Товары» are one control
    assert panel.locator('[data-control="products"]').get_attribute("data-catalog-box") == str(CATALOGS["Товары"])
    panel.locator('[data-control="products"]').uncheck()
    assert product_boxes.locator("xpath=.").evaluate_all("els => els.filter(e => e.checked).length") == 0
    product_boxes.first.check()
    assert panel.locator('[data-control="products"]').is_checked()
    legal = panel.locator(f'[data-node="catalog"][data-catalog="{CATALOGS["Мои юр. лица"]}"]')
    legal.locator('[data-bulk="off"]').click()
    assert legal.locator("[data-element]:checked").count() == 0
    screenshot(page.locator(".harness-widget"), "trust-lists-ru")
    copy_id = copy_and_wait(panel)
    copy = stack.control.lead(account["id"], copy_id)
    kept = {
        (x["to_entity_id"], x["metadata"]["catalog_id"])
        for x in copy["links"]
        if x["to_entity_type"] == "catalog_elements"
    }
    assert {c for _, c in kept} == {CATALOGS["Товары"], CATALOGS["Счета/покупки"]}
    assert sum(1 for _, c in kept if c == CATALOGS["Товары"]) == 1


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_anonymised_tree_tells_the_truth(page, harness, stack, account, lang):
    """Pt 1: dropped fields unticked and disabled with their reason; counters count what is carried.

    Products are off in an anonymised copy; ticking them says that their prices travel with them.
    """
    open_area(
        page,
        harness,
        account,
        "dp",
        lang=lang,
        pipeline=pipeline_id("Воронка"),
        status=status_id("Воронка", "Передать партнёру"),
    )
    form = page.locator(".dealcopy-dp")
    form.locator(".dealcopy-form").wait_for()
    lead_node = form.locator('[data-node="lead"]')
    lead_node.locator("[data-toggle]").click()
    count_before = lead_node.locator("[data-count]").first.inner_text()
    form.locator('[data-control="anonymise"]').check()
    for name in ("ИНН", "n_lat", "Договор", "Сумма предоплаты", "Юр. лицо"):
        box = lead_node.locator(f'[data-field="{FIELD[name]}"]')
        assert box.is_disabled() and not box.is_checked(), name
        badge = box.locator("xpath=..").locator('[data-badge="anonymised"]').inner_text()
        assert badge.startswith("обезличенная копия" if lang == "ru" else "anonymised copy"), badge
    count_after = lead_node.locator("[data-count]").first.inner_text()
    n_before, n_after = (int(c.split()[0]) for c in (count_before, count_after))
    assert n_after < n_before and count_after.split()[-1] == str(n_after)  # all carried ones ticked
    products = form.locator('[data-control="products"]')
    assert not products.is_checked()
    warning = form.locator('[data-slot="prices-warning"]')
    assert warning.is_hidden()
    products.check()
    assert warning.is_visible() and ("цен" in warning.inner_text() or "prices" in warning.inner_text())
    screenshot(page.locator('[data-action="send_widget_hook"]'), f"trust-anonymised-tree-{lang}")
    form.locator('[data-control="anonymise"]').uncheck()
    assert lead_node.locator(f'[data-field="{FIELD["ИНН"]}"]').is_checked()  # the user's ticks come back


def test_dp_warnings_registration_and_a_move_that_fires_the_action(page, harness, stack, account):
    """Pts 4, 8: own-stage and chaining warnings; saving registers the action; moving a deal fires it."""
    trigger = status_id("Воронка", "Передать партнёру")
    chained = status_id("Воронка", "Принимают решение")
    stack.control.add_dp_trigger(
        account["id"], pipeline_id=pipeline_id("Воронка"), status_id=chained, url="http://127.0.0.1:9/none", settings={}
    )
    open_area(page, harness, account, "dp", pipeline=pipeline_id("Воронка"), status=trigger)
    form = page.locator(".dealcopy-dp")
    form.locator(".dealcopy-form").wait_for()
    warnings = form.locator('[data-slot="warnings"]')
    form.locator('[data-control="pipeline"]').select_option(str(pipeline_id("Воронка")))
    form.locator('[data-control="stage"]').select_option(str(trigger))
    wait_for(lambda: "тот же этап" in warnings.inner_text(), what="the own-stage warning")
    form.locator('[data-control="stage"]').select_option(str(chained))
    wait_for(lambda: "Воронка → Принимают решение" in warnings.inner_text(), what="the chain warning")
    screenshot(page.locator('[data-action="send_widget_hook"]'), "trust-dp-warnings-ru")
    # a safe target: Выполнение → В работе
    form.locator('[data-control="pipeline"]').select_option(str(pipeline_id("Выполнение")))
    form.locator('[data-control="stage"]').select_option(str(status_id("Выполнение", "В работе")))
    wait_for(lambda: warnings.inner_text() == "", what="no warning")
    page.wait_for_function("document.querySelector('.dealcopy-dp').getAttribute('data-sign-state') === 'ok'")
    page.locator(".js-trigger-save").click()
    page.wait_for_function("window.harness.dpRegistered")
    triggers = [
        t for t in stack.control._call("GET", f"/accounts/{account['id']}/dp/triggers") if t["status_id"] == trigger
    ]
    assert triggers and triggers[0]["settings"]["signature"]

    copy = move_and_get_the_dp_copy(page, harness, stack, account, trigger)
    assert (copy["pipeline_id"], copy["status_id"]) == (pipeline_id("Выполнение"), status_id("Выполнение", "В работе"))
    screenshot(page.locator("#harness-main"), "trust-harness-move-ru")


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_list_action_reports_failures_and_retries_them(page, harness, stack, account, lang):
    """Pt 6: failed rows red, «Скопировано 4, с ошибкой 1», the failed row retried in one click; names shown."""
    posts = captured_posts(page, "/copies/bulk")
    chosen = LEAD_IDS[1:6]
    panel = open_list_action(page, harness, account, lang, chosen)
    stack.control.delete_lead(account["id"], chosen[-1])  # gone before the copy: one row must fail
    panel.locator('[data-action="copy"]').click()
    text = panel.locator('[data-slot="progress"] [data-text]')
    expected = "Скопировано 4, с ошибкой 1" if lang == "ru" else "Copied 4, failed 1"
    wait_for(lambda: text.inner_text().startswith(expected), timeout=60, what="the summary")
    failed_bar = panel.locator("[data-bar-failed]")
    # The bar grows through a 0.3 s width transition: right after the summary it may still be at 0
    wait_for(lambda: failed_bar.evaluate("e => e.getBoundingClientRect().width") > 0, timeout=5, what="the red bar")
    failed_row = panel.locator(f'[data-lead="{chosen[-1]}"]')
    assert failed_row.get_attribute("data-state") == "failed"
    wait_for(
        lambda: "«" in panel.locator(f'[data-lead="{chosen[0]}"] .dealcopy-bulk__source').inner_text(), what="names"
    )
    retry = panel.locator('[data-action="retry-failed"]')
    assert retry.is_visible()
    screenshot(page.locator(".harness-side"), f"trust-bulk-failed-{lang}")
    retry.click()
    # Playwright delivers page events only while it is called: pump them while waiting
    retried = lambda: page.wait_for_timeout(100) or any(body["lead_ids"] == [chosen[-1]] for body in posts)  # noqa: E731
    wait_for(retried, what="the retry of the failed row only")
    wait_for(lambda: text.inner_text().startswith(expected), timeout=60, what="the summary after the retry")


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_settings_page_admin_section_dates_and_journal_names(page, harness, stack, account, lang):
    """Pts 2, 3, 7: «Для администратора» at the bottom with the backend address.

    Dates as the user's locale writes them (13.12.2026), the journal names the deals.
    """
    panel = open_card(page, harness, account, lang)
    copy_id = copy_and_wait(panel)
    open_area(page, harness, account, "settings", lang=lang)
    root = page.locator(".dealcopy-settings-root")
    root.locator('[data-table="copies"]').wait_for()
    admin = page.locator('[data-slot="admin"]')
    assert admin.locator("h3").inner_text() == ("Для администратора" if lang == "ru" else "For the administrator")
    order = page.evaluate(
        """() => {
            const sel = '.dealcopy-settings-root, [data-slot="admin"], input[name="backend_url"]';
            const all = [...document.querySelectorAll(sel)];
            return all.map(e => e.matches('input') ? 'input' : e.matches('[data-slot="admin"]') ? 'admin' : 'root');
        }"""
    )
    assert order == ["root", "admin", "input"]
    licence = root.locator('[data-slot="licence"]').inner_text()
    assert re.search(r"\d{2}\.\d{2}\.\d{4}" if lang == "ru" else r"\d{2}/\d{2}/\d{4}", licence), licence
    source_name = stack.control.lead(account["id"], SOURCE)["name"]
    row = root.locator(f'[data-table="copies"] [data-copy-id="{copy_id}"]')
    wait_for(lambda: source_name in row.inner_text(), what="the copy's name in the journal")
    screenshot(page.locator(".harness-settings"), f"trust-settings-{lang}")
