"""Write-back («Обновить исходную сделку») over the local stack: a copy entering a stage updates its origin
once, however often the hook comes; a lead that is not a copy is left alone; bad settings are refused."""

from __future__ import annotations

import time
import uuid

import pytest

from amo_emulator.seed_demo import FIELD
from tests.dp.helpers import call, hook_form, install, jobs, post_hook, settled, sign, stage, wait_for
from tests.integration.widget_helpers import api_requests, log_mark

SOURCE = 24_002_811
COPY_TO = stage("Выполнение", "В работе")
WON_COPY = stage("Выполнение", "Успешно реализовано")
ORIGIN_TO = stage("Воронка", "Принимают решение")
WRITE_BACK = {
    "write_back": {
        "field_rules": [
            {"field_id": FIELD["Срочно"], "set": False},
            {"field_id": FIELD["Назначение платежа"], "set": "Продление оплачено"},
            {"field_id": FIELD["Цена"], "clear": True},
        ],
        "status": ORIGIN_TO,
    }
}


@pytest.fixture
def account(dp_stack):
    return install(dp_stack)


def manual_copy(stack, account) -> int:
    body = {"lead_id": SOURCE, "rule": COPY_TO, "idempotency_key": str(uuid.uuid4())}
    answer = call(stack, "POST", "/copies", account, json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()["lead_id"]


def fields_of(stack, account, lead_id: int) -> dict[int, list]:
    lead = stack.control.lead(account["id"], lead_id)
    return {f["field_id"]: f["values"] for f in lead.get("custom_fields_values") or []}


def test_a_doubled_hook_writes_back_exactly_once(dp_stack, account):
    copy_id = manual_copy(dp_stack, account)
    signed = sign(dp_stack, account, WRITE_BACK)
    dp_stack.control.move_lead(account["id"], copy_id, *WON_COPY.values())  # no trigger: no hook of its own
    mark = log_mark(dp_stack, account)
    form = hook_form(account, copy_id, WON_COPY, signed, int(time.time()))
    answers = [post_hook(dp_stack, form=form) for _ in range(2)]
    assert {a.status_code for a in answers} == {200} and len({a.json()["job_id"] for a in answers}) == 1
    done = wait_for(lambda: settled(dp_stack, account, 2), what="the write-back job")
    time.sleep(1.5)  # a duplicate message would have been processed by now
    (job,) = [j for j in jobs(dp_stack, account) if j["trigger"] == "dp"]
    assert job["state"] == "done", done
    patches = [r for r in api_requests(dp_stack, account, mark) if r["method"] == "PATCH"]
    assert [r["path"] for r in patches] == [f"/api/v4/leads/{SOURCE}"]  # one request, on the origin
    origin = dp_stack.control.lead(account["id"], SOURCE)
    assert (origin["pipeline_id"], origin["status_id"]) == (ORIGIN_TO["pipeline_id"], ORIGIN_TO["status_id"])
    values = fields_of(dp_stack, account, SOURCE)
    assert values[FIELD["Срочно"]][0]["value"] is False
    assert values[FIELD["Назначение платежа"]][0]["value"] == "Продление оплачено"
    assert FIELD["Цена"] not in values
    copy = dp_stack.control.lead(account["id"], copy_id)
    assert (copy["pipeline_id"], copy["status_id"]) == (WON_COPY["pipeline_id"], WON_COPY["status_id"])


def test_a_lead_that_is_not_a_copy_is_not_written_back(dp_stack, account):
    signed = sign(dp_stack, account, WRITE_BACK)
    before = dp_stack.control.lead(account["id"], SOURCE)
    dp_stack.control.move_lead(account["id"], SOURCE, *COPY_TO.values())
    mark = log_mark(dp_stack, account)
    assert post_hook(dp_stack, form=hook_form(account, SOURCE, COPY_TO, signed, int(time.time()))).status_code == 200
    (job,) = wait_for(lambda: settled(dp_stack, account, 1), what="the job")
    assert job["state"] == "stopped" and "write-back-no-origin" in str(job)
    assert not [r for r in api_requests(dp_stack, account, mark) if r["method"] == "PATCH"]
    after = dp_stack.control.lead(account["id"], SOURCE)
    assert after["custom_fields_values"] == before["custom_fields_values"]


@pytest.mark.parametrize(
    ("write_back", "path"),
    [
        ({"field_rules": [{"field_id": FIELD["Срочно"], "set": "да"}]}, "write_back.field_rules[0].set"),
        ({"field_rules": [{"field_id": FIELD["Спецификация"], "template": "{name}"}]}, "write_back.field_rules[0]"),
        ({"status": {"pipeline_id": ORIGIN_TO["pipeline_id"], "status_id": 1}}, "write_back.status.status_id"),
        ({}, "write_back"),
    ],
)
def test_bad_write_back_settings_are_refused_with_a_path(dp_stack, account, write_back, path):
    answer = call(dp_stack, "POST", "/widget/dp/sign", account, json={"rule": {"write_back": write_back}})
    assert answer.status_code == 400, answer.text
    assert [e["path"] for e in answer.json()["errors"]] == [path]
