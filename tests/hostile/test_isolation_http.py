"""Over HTTP: an unexpected error for one account is recorded and the others still run.

The failure is real stored state, not a mock: a corrupt DP rule in the catch-up's table, a
corrupt job record in the worker's. The other account's events are still caught up and copied.
"""

from __future__ import annotations

import time

from dealcopy.copying.rules import rule_hash
from dealcopy.records.job import dp_job_id
from tests.dp import helpers as dp

TRIGGER = dp.stage("Воронка", "Оплачен счёт")
TARGET = dp.stage("Выполнение", "В работе")
RULE = {**TARGET, "fields": [], "catalogs": []}


def test_a_corrupt_rule_of_one_account_does_not_stop_the_catch_up_of_another(dp_stack):
    broken, healthy = dp.install(dp_stack), dp.install(dp_stack)
    for account in (broken, healthy):
        trigger = dp.add_trigger(dp_stack, account, TRIGGER, dp.sign(dp_stack, account, RULE))
        dp_stack.control.move_lead(account["id"], 24_002_812, *TRIGGER.values())  # learned by the hook
        dp.wait_for(lambda a=account: dp.settled(dp_stack, a, 1), what="the first job")
        time.sleep(1.1)
        dp_stack.control.update_dp_trigger(account["id"], trigger["id"], drop_next=1)
        dp_stack.control.move_lead(account["id"], 24_002_811, *TRIGGER.values())  # this hook is lost
        time.sleep(1.1)
        dp_stack.control.move_lead(account["id"], 24_002_813, *TRIGGER.values())  # delivered: trigger alive
        dp.wait_for(lambda a=account: dp.settled(dp_stack, a, 2), what="the third lead's job")
    table = dp_stack.table("JobsTable")
    (corrupt,) = [
        item
        for item in table.query(
            KeyConditionExpression="pk = :pk", ExpressionAttributeValues={":pk": "dprules"}, ConsistentRead=True
        )["Items"]
        if item["sk"].startswith(f"{broken['id']}#")
    ]
    table.update_item(
        Key={"pk": "dprules", "sk": corrupt["sk"]},
        UpdateExpression="SET status_id = :x",
        ExpressionAttributeValues={":x": "not-a-stage"},
    )
    report = dp.run_catch_up(dp_stack)
    assert broken["id"] in report["failed_accounts"] and healthy["id"] not in report["failed_accounts"], report
    done = dp.wait_for(lambda: dp.settled(dp_stack, healthy, 3), what="the healthy account's caught-up job")
    assert sorted(j["lead_id"] for j in done) == [24_002_811, 24_002_812, 24_002_813]
    assert len(dp.jobs(dp_stack, broken)) == 2


def test_a_corrupt_job_record_of_one_account_does_not_stop_the_worker_for_another(dp_stack):
    broken, healthy = dp.install(dp_stack), dp.install(dp_stack)
    at = int(time.time())
    forms = []
    for account in (broken, healthy):
        signed = dp.sign(dp_stack, account, RULE)
        dp_stack.control.move_lead(account["id"], 24_002_811, *TRIGGER.values())
        forms.append(dp.hook_form(account, 24_002_811, TRIGGER, signed, at))
        if account is broken:
            job_id = dp_job_id(account["id"], 24_002_811, *TRIGGER.values(), at, rule_hash(signed["rule"]))
            item = {"pk": f"job#{account['id']}", "sk": f"job#{job_id}", "job_id": job_id, "data": "{corrupt"}
            dp_stack.table("JobsTable").put_item(Item=item)
    assert [dp.post_hook(dp_stack, form=form).status_code for form in forms] == [200, 200]
    (job,) = dp.wait_for(lambda: dp.settled(dp_stack, healthy, 1), what="the healthy account's job")
    assert job["state"] == "done"
    assert len(dp.leads_in(dp_stack, healthy, TARGET)) == 1
    dp_stack.idle(timeout=60)  # the broken run and its retries are over
    assert dp.leads_in(dp_stack, broken, TARGET) == []  # its run failed (logged, retried by the queue), nothing made
    stored = dp_stack.table("JobsTable").get_item(Key={"pk": f"job#{broken['id']}", "sk": item["sk"]})["Item"]
    assert stored["data"] == "{corrupt"
