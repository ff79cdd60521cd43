"""The local stack says when it has nothing in flight (`GET /_devstack/idle`): tests wait for it, not for a guess."""

from __future__ import annotations

import time

from devstack.http import HTTP
from tests.dp.helpers import add_trigger, hook_form, install, jobs, leads_in, post_hook, sign, stage

SOURCE = 24_002_811
TRIGGER = stage("Воронка", "Оплачен счёт")
TARGET = stage("Выполнение", "В работе")
RULE = {**TARGET, "fields": [], "catalogs": []}


def test_idle_answers_only_once_a_hooks_copy_job_is_done(dp_stack):
    account = install(dp_stack)
    signed = sign(dp_stack, account, RULE)
    dp_stack.control.move_lead(account["id"], SOURCE, *TRIGGER.values())
    # A slow amoCRM create keeps the job in flight for a while after the hook's answer.
    dp_stack.control.add_fault(account["id"], kind="slow", count=1, delay=1.0, method="POST", path="/api/v4/leads")
    assert post_hook(dp_stack, form=hook_form(account, SOURCE, TRIGGER, signed, int(time.time()))).status_code == 200

    busy = HTTP.get(f"{dp_stack.gateway_url}/_devstack/idle", params={"timeout": 0.2}, timeout=10)
    assert busy.status_code == 503 and busy.json()["idle"] is False
    assert busy.json()["busy"]  # the worker's invocation or the message it holds

    dp_stack.idle()
    assert [j["state"] for j in jobs(dp_stack, account)] == ["done"]  # no polling: idle means finished
    assert len(leads_in(dp_stack, account, TARGET)) == 1


def test_idle_waits_for_the_hooks_the_emulator_sends(dp_stack):
    """A lead moved into a trigger's stage: amoCRM's hook, its job and the copy, all before idle answers."""
    account = install(dp_stack)
    add_trigger(dp_stack, account, TRIGGER, sign(dp_stack, account, RULE))
    dp_stack.control.move_lead(account["id"], SOURCE, *TRIGGER.values())
    dp_stack.idle()
    assert [j["state"] for j in jobs(dp_stack, account)] == ["done"]
    assert len(leads_in(dp_stack, account, TARGET)) == 1


def test_an_idle_stack_answers_at_once(dp_stack):
    dp_stack.idle()
    answer = HTTP.get(f"{dp_stack.gateway_url}/_devstack/idle", params={"timeout": 5}, timeout=10)
    assert answer.status_code == 200 and answer.json() == {"idle": True, "waited": answer.json()["waited"], "busy": {}}
    assert answer.json()["waited"] < 2
