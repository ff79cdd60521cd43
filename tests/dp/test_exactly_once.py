"""Exactly one copy per DP event: repeated hooks, hook plus catch-up, lost hooks, crashes mid-job.

Crashes are injected through the worker's deliberate test seam (`dealcopy.jobs.seams`, armed
by a counter in the jobs table; the local stack enables it): the worker raises out of the
handler right after a step, as a killed Lambda would, and the whole batch is delivered again.
"""

from __future__ import annotations

import json
import time

import pytest

from dealcopy.jobs.seams import Seams
from dealcopy.records.job import dp_job_id
from dealcopy.storage.countdowns import Countdowns
from dealcopy.storage.dynamo import Table
from tests.dp.helpers import (
    add_trigger,
    hook_form,
    install,
    jobs,
    leads_in,
    notes_on,
    post_hook,
    run_catch_up,
    settled,
    sign,
    stage,
    wait_for,
)

SOURCE = 24_002_811
TRIGGER = stage("Воронка", "Оплачен счёт")
TARGET = stage("Выполнение", "В работе")
RULE = {**TARGET, "catalogs": "all", "fields": "all"}


@pytest.fixture
def account(dp_stack):
    return install(dp_stack)


def _one_complete_copy(stack, account, source: int = SOURCE) -> dict:
    """Exactly one copy of `source` in the target stage, with all its links and both notes."""
    copies = [lead for lead in leads_in(stack, account, TARGET)]
    assert len(copies) == 1, [c["id"] for c in copies]
    copy = stack.control.lead(account["id"], copies[0]["id"])
    kinds = sorted(link["to_entity_type"] for link in copy["links"])
    assert kinds.count("catalog_elements") == 4 and kinds.count("contacts") == 2 and kinds.count("companies") == 1
    assert sum(f"#{copy['id']}" in text for text in notes_on(stack, account, source)) >= 1
    assert sum(f"#{source}" in text for text in notes_on(stack, account, copy["id"])) >= 1
    return copy


def test_the_same_hook_five_times_makes_one_copy(dp_stack, account):
    signed = sign(dp_stack, account, RULE)
    dp_stack.control.move_lead(account["id"], SOURCE, *TRIGGER.values())  # no trigger yet: no hook of its own
    form = hook_form(account, SOURCE, TRIGGER, signed, int(time.time()))
    answers = [post_hook(dp_stack, form=form) for _ in range(5)]
    assert {a.status_code for a in answers} == {200}
    assert len({a.json()["job_id"] for a in answers}) == 1
    wait_for(lambda: settled(dp_stack, account, 1), what="the job")
    dp_stack.idle()  # any duplicate message has been processed by now
    assert len(jobs(dp_stack, account)) == 1
    _one_complete_copy(dp_stack, account)


def test_a_redelivered_message_of_a_finished_job_changes_nothing(dp_stack, account):
    """Beyond SQS's 5-minute de-duplication window the job record decides."""
    signed = sign(dp_stack, account, RULE)
    dp_stack.control.move_lead(account["id"], SOURCE, *TRIGGER.values())
    at = int(time.time())
    assert post_hook(dp_stack, form=hook_form(account, SOURCE, TRIGGER, signed, at)).status_code == 200
    done = wait_for(lambda: settled(dp_stack, account, 1), what="the first job")
    record = json.loads(done[0]["data"])
    # The same job arrives again after SQS's 5-minute window (a late amoCRM retry, a re-drive...).
    from dealcopy.records.job import DpEvent, JobMessage, JobRef

    message = JobMessage(
        account_id=account["id"],
        trigger="dp",
        rule=signed["rule"],
        rule_hash=record["rule_hash"],
        event=DpEvent(pipeline_id=TRIGGER["pipeline_id"], status_id=TRIGGER["status_id"], time=at),
        jobs=[JobRef(job_id=record["job_id"], lead_id=SOURCE)],
    )
    for n in range(4):
        dp_stack.sqs.send_message(
            QueueUrl=dp_stack.physical["CopyJobsQueue"],
            MessageBody=message.to_json(),
            MessageGroupId=str(account["id"]),
            MessageDeduplicationId=f"late-{record['job_id']}-{n}",
        )
    dp_stack.idle()  # the late messages have been handled
    assert [j["state"] for j in jobs(dp_stack, account)] == ["done"]
    _one_complete_copy(dp_stack, account)


def test_a_hook_and_the_catch_up_finding_the_same_event_make_one_copy(dp_stack, account):
    signed = sign(dp_stack, account, RULE)
    add_trigger(dp_stack, account, TRIGGER, signed)
    dp_stack.control.move_lead(account["id"], SOURCE, *TRIGGER.values())
    wait_for(lambda: settled(dp_stack, account, 1), what="the hook's job")
    report = run_catch_up(dp_stack)
    assert report["events"] >= 1 and account["id"] not in report["failed_accounts"]
    dp_stack.idle()
    assert len(jobs(dp_stack, account)) == 1
    _one_complete_copy(dp_stack, account)


def test_the_catch_up_recovers_a_hook_amocrm_never_sent(dp_stack, account):
    signed = sign(dp_stack, account, RULE)
    trigger = add_trigger(dp_stack, account, TRIGGER, signed)
    dp_stack.control.move_lead(account["id"], 24_002_812, *TRIGGER.values())  # hook delivered
    wait_for(lambda: settled(dp_stack, account, 1), what="the first lead's job")
    time.sleep(1.1)
    dp_stack.control.update_dp_trigger(account["id"], trigger["id"], drop_next=1)
    dp_stack.control.move_lead(account["id"], SOURCE, *TRIGGER.values())  # this hook is lost on the way
    time.sleep(1.1)
    assert run_catch_up(dp_stack)["queued"] == 0  # no later hook yet proves the trigger is still there
    dp_stack.control.move_lead(account["id"], 24_002_813, *TRIGGER.values())  # hook delivered: trigger alive
    wait_for(lambda: settled(dp_stack, account, 2), what="the third lead's job")
    assert {j["lead_id"] for j in jobs(dp_stack, account)} == {24_002_812, 24_002_813}
    report = run_catch_up(dp_stack)
    assert report["queued"] == 1, report
    done = wait_for(lambda: settled(dp_stack, account, 3), what="the caught-up job")
    assert sorted(j["lead_id"] for j in done) == [SOURCE, 24_002_812, 24_002_813]
    caught = next(json.loads(j["data"]) for j in done if j["lead_id"] == SOURCE)
    assert caught["origin"] == "catchup" and caught["state"] == "done"
    lost = next(h for h in dp_stack.control.dp_hooks(account["id"]) if h["lead_id"] == SOURCE)
    assert lost["dropped"] is True
    assert caught["job_id"] == dp_job_id(
        account["id"], SOURCE, TRIGGER["pipeline_id"], TRIGGER["status_id"], lost["time"], caught["rule_hash"]
    )  # the id the lost hook would have had: were it delivered late, it would change nothing
    assert run_catch_up(dp_stack)["queued"] == 0
    assert len(leads_in(dp_stack, account, TARGET)) == 3


@pytest.mark.parametrize("point", ["create.sent", "create.saved", "link.sent", "link.saved", "notes.sent"])
def test_a_crash_after_a_step_resumes_with_one_lead_and_all_links(dp_stack, account, point):
    seams = Seams(Countdowns(Table(dp_stack.table("JobsTable"))), enabled=True)
    seams.arm(point, 1)
    try:
        signed = sign(dp_stack, account, RULE)
        add_trigger(dp_stack, account, TRIGGER, signed)
        dp_stack.control.move_lead(account["id"], SOURCE, *TRIGGER.values())
        done = wait_for(lambda: settled(dp_stack, account, 1), timeout=40, what="the job after the crash")
    finally:
        seams.arm(point, 0)
    record = json.loads(done[0]["data"])
    assert record["state"] == "done" and record["attempts"] >= 2, record["attempts"]  # it did crash once
    _one_complete_copy(dp_stack, account)
    creates = [
        e for e in dp_stack.control.requests(account["id"]) if e["method"] == "POST" and e["path"] == "/api/v4/leads"
    ]
    if point == "create.sent":
        # The retry looked for the lead it could not remember, found it, and did not create again.
        searches = [
            e for e in dp_stack.control.requests(account["id"]) if e["method"] == "GET" and e["path"] == "/api/v4/leads"
        ]
        assert searches, "the retry must reconcile before creating"
    assert sum(1 for e in creates if e["status"] == 200) == 1
