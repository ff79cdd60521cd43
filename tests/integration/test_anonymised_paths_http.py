"""One anonymised copy of the issue's deals through each path, over the local stack: the preview and the
manual copy (`POST /copies`), a Digital Pipeline hook, a repeat and a delayed copy. They share one engine,
so each checks the copy's fields: no client, all the work (tests/copying/issue_deals.py).
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from amo_emulator.seed_demo import USERS
from tests.copying.issue_deals import LINK_LISTED, SECRETS, TEXT_LISTED, assert_partner_copy, listed, seed_deals
from tests.dp.helpers import add_trigger, leads_in, settled, sign, stage, wait_for
from tests.integration.clock_helpers import next_fire, once_at_10_msk
from tests.integration.test_repeats_http import TRIGGER, emulator_now, enter_trigger, run_due
from tests.integration.widget_helpers import call, install
from tests.support.stack import local_stack

PARTNERS = stage("Партнёры", "Новая заявка")
PARTNER_RULE = {
    **PARTNERS,
    "anonymise": True,
    "responsible": {"mode": "fixed", "user_id": USERS["Дмитрий Игоревич Бичесловский"]},
}


@pytest.fixture(scope="module")
def stack():
    with local_stack("--schedule-interval", "0") as stack:
        yield stack


@pytest.fixture
def deals(stack):
    """A fresh account with the two deals: (account, (text deal, link deal), field ids)."""
    account = install(stack)
    lead_ids, ids = seed_deals(lambda payload: stack.control.seed(account["id"], payload))
    return account, lead_ids, ids


def _copies(stack, account) -> list[dict]:
    return leads_in(stack, account, PARTNERS)


def test_preview_and_manual_copy_list_what_is_masked_or_removed_by_field_name(stack, deals):
    account, (text_deal, link_deal), ids = deals
    for lead_id, which, expected in ((text_deal, "text", TEXT_LISTED), (link_deal, "link", LINK_LISTED)):
        preview = call(stack, "POST", "/copies/preview", account, json={"lead_id": lead_id, "rule": PARTNER_RULE})
        assert preview.status_code == 200, preview.text
        assert {k: v for k, v in listed(preview.json()["anonymised"]).items() if k in expected} == expected
        body = {"lead_id": lead_id, "rule": PARTNER_RULE, "idempotency_key": f"anon-{lead_id}"}
        made = call(stack, "POST", "/copies", account, json=body)
        assert made.status_code == 201, made.text
        result = made.json()
        assert listed(result["anonymised"]) == listed(preview.json()["anonymised"])
        assert [s for s in SECRETS if s in made.text or s in preview.text] == []
        assert_partner_copy(stack.control.lead(account["id"], result["lead_id"]), ids, which)


def test_digital_pipeline(stack, deals):
    account, (text_deal, _), ids = deals
    trigger = stage("Воронка", "Передать партнёру")
    add_trigger(stack, account, trigger, sign(stack, account, PARTNER_RULE))
    stack.control.move_lead(account["id"], text_deal, trigger["pipeline_id"], trigger["status_id"])
    (job,) = wait_for(lambda: settled(stack, account, 1), timeout=60, what="the DP job")
    assert job["state"] == "done", job
    result = json.loads(job["data"])["result"]
    assert {k: v for k, v in listed(result["anonymised"]).items() if k in TEXT_LISTED} == TEXT_LISTED
    (copy,) = _copies(stack, account)
    assert_partner_copy(copy, ids, "text")


def test_delayed_copy(stack, deals):
    account, (text_deal, _), ids = deals
    add_trigger(stack, account, TRIGGER, sign(stack, account, {**PARTNER_RULE, "delay": {"after_event": {"hours": 2}}}))
    enter_trigger(stack, account, text_deal)
    assert _copies(stack, account) == []
    run_due(stack, emulator_now(stack) + timedelta(hours=3))
    (copy,) = _copies(stack, account)
    assert_partner_copy(copy, ids, "text")


def test_repeat(stack, deals):
    account, (_, link_deal), ids = deals
    start = (emulator_now(stack) + timedelta(days=1)).date()
    body = once_at_10_msk(start, "anonymised-repeat", lead_id=link_deal, rule=PARTNER_RULE)
    created = call(stack, "POST", "/repeats", account, json=body)
    assert created.status_code == 201, created.text
    run_due(stack, next_fire(created.json()) + timedelta(minutes=1))
    (copy,) = _copies(stack, account)
    assert_partner_copy(copy, ids, "link")
