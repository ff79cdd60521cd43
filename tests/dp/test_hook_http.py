"""`POST /dp/hook` over the local gateway: both encodings accepted, every bad hook refused with a reason.

A refused hook must queue nothing: the worker writes a job record for every message it sees,
so "no job record and no new lead after the queue drained" is what "nothing queued" means here.
"""

from __future__ import annotations

import time

import pytest

from devstack.http import HTTP
from tests.dp.helpers import (
    hook_form,
    hook_json,
    install,
    jobs,
    leads,
    post_hook,
    settled,
    sign,
    stage,
    wait_for,
)

SOURCE = 24_002_812
TRIGGER = stage("Support", "Переговоры")
TARGET = {**stage("Выполнение", "В работе"), "fields": [], "catalogs": []}


@pytest.fixture(scope="module")
def account(dp_stack):
    installed = install(dp_stack)
    for lead_id in (SOURCE, 24_002_813, 24_002_814):  # a hook's lead must be in its stage (or have been)
        dp_stack.control.move_lead(installed["id"], lead_id, *TRIGGER.values())
    return installed


@pytest.fixture(scope="module")
def signed(dp_stack, account):
    return sign(dp_stack, account, TARGET)


def _nothing_queued(stack, account, before_jobs: int, before_leads: int) -> None:
    stack.idle()  # anything queued has been handled
    assert len(jobs(stack, account)) == before_jobs
    assert len(leads(stack, account)) == before_leads


def test_a_form_encoded_hook_is_accepted_and_copied(dp_stack, account, signed):
    before = len(jobs(dp_stack, account))
    answer = post_hook(dp_stack, form=hook_form(account, SOURCE, TRIGGER, signed, int(time.time())))
    assert answer.status_code == 200, answer.text
    assert answer.json()["accepted"] is True and answer.json()["job_id"].startswith("dp-")
    done = wait_for(lambda: settled(dp_stack, account, before + 1), what="the job")
    job = next(j for j in done if j["job_id"] == answer.json()["job_id"])
    assert job["state"] == "done" and job["lead_id"] == SOURCE and job["copy_id"]


def test_a_json_hook_is_accepted_and_copied(dp_stack, account, signed):
    before = len(jobs(dp_stack, account))
    answer = post_hook(dp_stack, json=hook_json(account, 24_002_813, TRIGGER, signed, int(time.time())))
    assert answer.status_code == 200, answer.text
    done = wait_for(lambda: settled(dp_stack, account, before + 1), what="the job")
    assert {j["state"] for j in done} == {"done"}


def _bad(case: str, account, signed) -> tuple[dict | None, object]:
    at = int(time.time())
    form = hook_form(account, SOURCE, TRIGGER, signed, at)
    if case == "missing lead id":
        form.pop("event[data][id]")
    elif case == "missing account":
        form.pop("account_id")
    elif case == "lead id not a number":
        form["event[data][id]"] = "24002812abc"
    elif case == "status id a float":
        form["event[data][status_id]"] = "1.5"
    elif case == "customer (element_type 12)":
        form["event[data][element_type]"] = "12"
    elif case == "unknown account":
        form["account_id"] = "999999999"
    elif case == "unsigned":
        form.pop("action[settings][widget][settings][signature]")
    elif case == "no settings at all":
        form = hook_form(account, SOURCE, TRIGGER, None, at)
    elif case == "bad signature":
        form["action[settings][widget][settings][signature]"] = "0" * 64
    elif case == "rule edited after signing":
        form["action[settings][widget][settings][rule]"] = signed["rule"].replace(
            '"copy_budget":true', '"copy_budget":false'
        )
    elif case == "json with wrong types":
        body = hook_json(account, SOURCE, TRIGGER, signed, at)
        body["event"]["data"]["id"] = "twelve"
        body["event"]["time"] = True
        return None, body
    elif case == "json not an object":
        return None, [1, 2, 3]
    return form, None


CASES = {
    "missing lead id": (400, "bad-hook"),
    "missing account": (400, "bad-hook"),
    "lead id not a number": (400, "bad-hook"),
    "status id a float": (400, "bad-hook"),
    "json with wrong types": (400, "bad-hook"),
    "json not an object": (400, "bad-body"),
    "customer (element_type 12)": (422, "unsupported-entity"),
    "unknown account": (401, "bad-signature"),  # like a bad signature: installs are not revealed
    "unsigned": (401, "unsigned"),
    "no settings at all": (401, "unsigned"),
    "bad signature": (401, "bad-signature"),
    "rule edited after signing": (401, "bad-signature"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_hooks_get_a_4xx_with_a_reason_and_queue_nothing(dp_stack, account, signed, case):
    before_jobs, before_leads = len(jobs(dp_stack, account)), len(leads(dp_stack, account))
    form, body = _bad(case, account, signed)
    answer = post_hook(dp_stack, form=form, json=body)
    status, code = CASES[case]
    assert answer.status_code == status, answer.text
    problem = answer.json()
    assert answer.headers["content-type"] == "application/problem+json"
    assert problem["code"] == code and problem["detail"]
    if code == "bad-hook":
        assert problem["errors"] and all(e["path"] for e in problem["errors"])
    _nothing_queued(dp_stack, account, before_jobs, before_leads)


def test_a_rule_signed_for_another_account_is_refused(dp_stack, account, signed):
    other = install(dp_stack)
    before_jobs, before_leads = len(jobs(dp_stack, other)), len(leads(dp_stack, other))
    answer = post_hook(dp_stack, form=hook_form(other, SOURCE, TRIGGER, signed, int(time.time())))
    assert answer.status_code == 401 and answer.json()["code"] == "bad-signature"
    _nothing_queued(dp_stack, other, before_jobs, before_leads)


def test_an_uninstalled_account_gets_410(dp_stack):
    gone = install(dp_stack)
    signed = sign(dp_stack, gone, TARGET)
    from dealcopy.install import uninstall_signature

    params = {
        "account_id": gone["id"],
        "client_uuid": dp_stack.client_id,
        "signature": uninstall_signature(dp_stack.client_secret, dp_stack.client_id, str(gone["id"])),
    }

    dp_stack.control.uninstall(gone["id"], dp_stack.client_id)  # amoCRM revokes the grant, then calls us
    assert HTTP.get(f"{dp_stack.gateway_url}/oauth/uninstall", params=params).status_code == 200
    before_leads = len(leads(dp_stack, gone))
    answer = post_hook(dp_stack, form=hook_form(gone, SOURCE, TRIGGER, signed, int(time.time())))
    assert answer.status_code == 410 and answer.json()["code"] == "uninstalled"
    _nothing_queued(dp_stack, gone, 0, before_leads)


def test_the_webhook_answers_before_any_amocrm_call(dp_stack, account, signed):
    """The hook only validates and queues: amoCRM sees nothing until the worker runs."""
    dp_stack.control.add_fault(account["id"], kind="slow", count=1, delay=1.5)  # the worker's first call is slow
    started = time.monotonic()
    before = len(jobs(dp_stack, account))
    answer = post_hook(dp_stack, form=hook_form(account, 24_002_814, TRIGGER, signed, int(time.time())))
    elapsed = time.monotonic() - started
    assert answer.status_code == 200 and elapsed < 1.0, elapsed
    wait_for(lambda: settled(dp_stack, account, before + 1), what="the slow job")
    dp_stack.control.clear_faults(account["id"])
