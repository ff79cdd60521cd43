"""One lead per idempotency key, whatever fails after the create.

Over HTTP through the local gateway, against the emulator and moto: a manual copy whose notes
amoCRM keeps refusing, one that crashes right after amoCRM made its lead (the worker's test
seam, `dealcopy.jobs.seams`, point `manual.create.sent`), and one that would outlive API
Gateway's deadline. Each answers non-201 naming its key, and the same key then finishes the
same lead: the account ends with exactly one new lead.
"""

from __future__ import annotations

import json
import time
import uuid

import pytest

from amo_emulator.seed_demo import pipeline_id, status_id
from dealcopy.jobs.seams import Seams
from dealcopy.storage.countdowns import Countdowns
from dealcopy.storage.dynamo import Table
from dealcopy.usecases.copies import manual_job_id
from tests.integration.widget_helpers import call, install
from tests.support.stack import local_stack

SOURCE = 24002811  # the manual's deal: products, contacts, company
SUPPORT = {"pipeline_id": pipeline_id("Support"), "status_id": status_id("Support", "Переговоры")}
LOGISTICS = {"pipeline_id": pipeline_id("Логистика"), "status_id": status_id("Логистика", "Первичный контакт")}
DEMO_LEADS = 10
GATEWAY_LIMIT = 12  # the short-deadline stack's stand-in for API Gateway's 29 s


@pytest.fixture
def account(stack):
    return install(stack)


def copy(stack, account, key, rule=SUPPORT, lang="en"):
    payload = {"lead_id": SOURCE, "idempotency_key": key, "rule": rule}
    return call(stack, "POST", "/copies", account, lang=lang, json=payload)


def leads_of(stack, account) -> dict[int, dict]:
    return {lead["id"]: lead for lead in stack.control.state(account["id"])["leads"]}


def creates(stack, account) -> int:
    log = stack.control.requests(account["id"])
    return sum(1 for e in log if e["method"] == "POST" and e["path"] == "/api/v4/leads")


def assert_one_finished_copy(stack, account, lead_id: int) -> None:
    """Exactly one new lead, and it is the finished copy: its note names the source, its products are linked."""
    leads = leads_of(stack, account)
    assert len(leads) == DEMO_LEADS + 1 and lead_id in leads, sorted(leads)
    lead = stack.control.lead(account["id"], lead_id)
    assert any(str(SOURCE) in (n["params"] or {}).get("text", "") for n in lead["notes"])
    assert any(link["to_entity_type"] == "catalog_elements" for link in lead["links"])
    assert creates(stack, account) == 1


def assert_names_the_key(answer, key: str) -> dict:
    assert answer.status_code != 201, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    body = answer.json()
    assert body["idempotency_key"] == key and key in body["detail"], body
    assert "same key" in body["detail"] or "тем же ключом" in body["detail"]
    assert int(answer.headers["retry-after"]) > 0 and body["retry_after"] > 0
    return body


def test_notes_failing_twenty_times_then_the_same_key_finishes_the_same_lead(stack, account):
    stack.control.add_fault(account["id"], kind="503", count=20, path="/api/v4/leads/notes", method="POST")
    key = str(uuid.uuid4())
    first = copy(stack, account, key)
    body = assert_names_the_key(first, key)
    assert (first.status_code, body["code"]) == (503, "copy-unfinished")
    assert len(leads_of(stack, account)) == DEMO_LEADS + 1  # the lead exists, unfinished
    stack.control.clear_faults(account["id"])
    again = copy(stack, account, key)
    assert again.status_code == 201, again.text
    assert again.json()["lead_id"] == body["lead_id"]
    assert again.json()["notes_written"] is True
    replay = copy(stack, account, key)
    assert (replay.status_code, replay.json()["lead_id"]) == (201, body["lead_id"])
    assert_one_finished_copy(stack, account, body["lead_id"])
    assert_finished_checkpoint_keeps_no_field_values(stack, account, key)


def assert_finished_checkpoint_keeps_no_field_values(stack, account, key: str) -> None:
    """Once the copy is done its job record keeps the answer's ids, not the create payload (personal data)."""
    job_id = manual_job_id(account["id"], key)
    item = stack.table("JobsTable").get_item(Key={"pk": f"job#{account['id']}", "sk": f"job#{job_id}"})["Item"]
    saved = json.loads(item["data"])
    assert (item["state"], item["trigger"]) == ("done", "manual"), item
    assert saved["result"]["lead_id"] and saved["plan"] is None and not saved["created"]["plan"]["payload"], saved
    assert "custom_fields_values" not in item["data"]


def test_the_unfinished_key_with_another_body_is_refused_and_makes_nothing(stack, account):
    stack.control.add_fault(account["id"], kind="503", count=20, path="/api/v4/leads/notes", method="POST")
    key = str(uuid.uuid4())
    first = copy(stack, account, key, lang="ru")
    body = assert_names_the_key(first, key)
    assert body["detail"].startswith(f"Сделка-копия {body['lead_id']} создана")
    stack.control.clear_faults(account["id"])
    other = copy(stack, account, key, rule=LOGISTICS)
    assert (other.status_code, other.json()["code"]) == (409, "key-reused")
    assert copy(stack, account, key).json()["lead_id"] == body["lead_id"]
    assert_one_finished_copy(stack, account, body["lead_id"])


def test_a_crash_right_after_the_create_then_the_same_key_adopts_the_lead(stack, account):
    seams = Seams(Countdowns(Table(stack.table("JobsTable"))), enabled=True)
    seams.arm("manual.create.sent", 1)
    before = set(leads_of(stack, account))
    key = str(uuid.uuid4())
    try:
        first = copy(stack, account, key)
    finally:
        seams.arm("manual.create.sent", 0)
    assert first.status_code >= 500, first.text  # killed: the gateway's error, no word on the copy
    made = set(leads_of(stack, account)) - before
    assert len(made) == 1  # amoCRM made the lead before the crash
    again = copy(stack, account, key)
    assert again.status_code == 201, again.text
    lead_id = again.json()["lead_id"]
    assert {lead_id} == made
    searches = [
        e
        for e in stack.control.requests(account["id"])
        if e["method"] == "GET" and e["path"] == "/api/v4/leads" and "filter" in str(e.get("query", ""))
    ]
    assert searches, "the retry looked for the lead it could not remember"
    assert_one_finished_copy(stack, account, lead_id)


@pytest.fixture(scope="module")
def short_stack():
    """A stack whose manual copies must answer within GATEWAY_LIMIT s (margin 5 s), to test the guard quickly."""
    with local_stack("--env", f"MANUAL_ANSWER_LIMIT_SECONDS={GATEWAY_LIMIT}") as stack:
        yield stack


def test_a_copy_that_would_outlive_the_gateway_answers_pending_then_the_same_key_finishes_it(short_stack):
    stack = short_stack
    account = install(stack)
    assert copy(stack, account, str(uuid.uuid4())).status_code == 201  # warm metadata: the next copy is short
    before = set(leads_of(stack, account))
    # amoCRM takes 7.5 s to create: then less than the 5 s margin is left for links and notes.
    stack.control.add_fault(account["id"], kind="slow", delay=7.5, count=1, path="/api/v4/leads", method="POST")
    key = str(uuid.uuid4())
    started = time.monotonic()
    first = copy(stack, account, key)
    took = time.monotonic() - started
    body = assert_names_the_key(first, key)
    assert (first.status_code, body["code"]) == (202, "copy-pending")
    assert took < GATEWAY_LIMIT, took
    time.sleep(1)  # the slow create has certainly finished inside amoCRM
    again = copy(stack, account, key)
    assert again.status_code == 201, again.text
    new = set(leads_of(stack, account)) - before
    assert new == {again.json()["lead_id"]}, new
    assert "lead_id" not in body or body["lead_id"] == again.json()["lead_id"]
