"""Over HTTP: a signed DP rule is no replayable password; finished jobs keep no personal data.

- a correctly signed hook replayed with `event[time]` 0, ten years ahead or three days back is refused;
- a correctly signed hook naming a stage its lead is not (and was not) in copies nothing, and its
  job record says why (no note is written on the lead);
- a hook with time 0 followed by the catch-up: no lead that entered the stage before the rule
  was signed is copied, whatever time a hook claimed;
- an unknown account and a bad signature get the same answer;
- after a DP copy finishes, its job record holds no phone, e-mail or name of the source's contacts.
"""

from __future__ import annotations

import json
import time

import pytest

from tests.dp import helpers as dp

TRIGGER = dp.stage("Воронка", "Оплачен счёт")
TARGET = dp.stage("Выполнение", "В работе")
RULE = {**TARGET, "fields": "all", "catalogs": []}
DAY = 86400


@pytest.fixture
def account(dp_stack):
    return dp.install(dp_stack)


def _settle_queue(stack, account, count: int) -> list[dict]:
    stack.idle()
    return dp.wait_for(lambda: dp.settled(stack, account, count) if count else [True], what=f"{count} settled jobs")


@pytest.mark.parametrize(
    "offset", [None, 10 * 365 * DAY, -3 * DAY], ids=["time-0", "ten-years-ahead", "three-days-back"]
)
def test_a_signed_hook_replayed_with_an_old_or_future_time_is_refused(dp_stack, account, offset):
    signed = dp.sign(dp_stack, account, RULE)
    dp_stack.control.move_lead(account["id"], 24_002_811, *TRIGGER.values())  # the lead is in the stage
    now = int(time.time())
    at = 0 if offset is None else now + offset
    answer = dp.post_hook(dp_stack, form=dp.hook_form(account, 24_002_811, TRIGGER, signed, at))
    assert answer.status_code == 400, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["code"] == "stale-event"
    dp_stack.idle()
    assert dp.jobs(dp_stack, account) == [] and dp.leads_in(dp_stack, account, TARGET) == []
    # the very same hook with a current time is a genuine one: copied
    fresh = dp.post_hook(dp_stack, form=dp.hook_form(account, 24_002_811, TRIGGER, signed, now))
    assert fresh.status_code == 200, fresh.text
    _settle_queue(dp_stack, account, 1)
    assert len(dp.leads_in(dp_stack, account, TARGET)) == 1


def test_a_signed_hook_naming_a_stage_the_lead_never_reached_copies_nothing(dp_stack, account):
    signed = dp.sign(dp_stack, account, RULE)
    source = 24_002_812  # in «Support / Новое обращение», never in the trigger's stage
    notes_before = dp.notes_on(dp_stack, account, source)
    answer = dp.post_hook(dp_stack, form=dp.hook_form(account, source, TRIGGER, signed, int(time.time())))
    assert answer.status_code == 200, answer.text  # the hook is well formed and signed: checked by the worker
    (job,) = _settle_queue(dp_stack, account, 1)
    assert job["state"] == "stopped" and job["error_code"] == "stage_not_reached", job
    assert json.loads(job["error"])["message_en"].startswith(f"Lead #{source} was not in stage")
    assert "copy_id" not in job and dp.leads_in(dp_stack, account, TARGET) == []
    assert dp.notes_on(dp_stack, account, source) == notes_before  # a replay cannot spam the lead with notes


def test_a_lead_that_left_the_stage_is_still_copied_by_the_events_of_amocrm(dp_stack, account):
    """The hook's lead moved on before the worker ran: amoCRM's event feed confirms it was there."""
    signed = dp.sign(dp_stack, account, RULE)
    dp_stack.control.move_lead(account["id"], 24_002_813, *TRIGGER.values())
    at = int(time.time())
    dp_stack.control.move_lead(account["id"], 24_002_813, *dp.stage("Воронка", "Переговоры").values())
    assert dp.post_hook(dp_stack, form=dp.hook_form(account, 24_002_813, TRIGGER, signed, at)).status_code == 200
    (job,) = _settle_queue(dp_stack, account, 1)
    assert job["state"] == "done", job


def test_time_0_and_old_hook_times_never_open_history_before_the_signature_to_the_catch_up(dp_stack, account):
    control, acc = dp_stack.control, account["id"]
    control.advance_clock(-3 * 3600)  # amoCRM's history: B entered the stage 3 h ago, A 2 h ago
    try:
        control.move_lead(acc, 24_002_813, *TRIGGER.values())
        control.advance_clock(3600)
        control.move_lead(acc, 24_002_812, *TRIGGER.values())
    finally:
        control.advance_clock(2 * 3600)
    now = int(time.time())
    signed = dp.sign(dp_stack, account, RULE)  # the rule is signed only now
    # a signed hook claiming B's old event (within 24 h: accepted; B is still in the stage: copied)
    claimed = dp.hook_form(account, 24_002_813, TRIGGER, signed, now - 3 * 3600)
    assert dp.post_hook(dp_stack, form=claimed).status_code == 200
    refused = dp.post_hook(dp_stack, form=dp.hook_form(account, 24_002_812, TRIGGER, signed, 0))
    assert refused.status_code == 400 and refused.json()["code"] == "stale-event"
    dp.add_trigger(dp_stack, account, TRIGGER, signed)  # a real hook now: the rule's window reaches the present
    control.move_lead(acc, 24_002_814, *TRIGGER.values())
    _settle_queue(dp_stack, account, 2)
    report = dp.run_catch_up(dp_stack)
    assert acc not in report["failed_accounts"], report
    _settle_queue(dp_stack, account, len(dp.jobs(dp_stack, account)))
    copied = {j["lead_id"] for j in dp.jobs(dp_stack, account) if j["state"] == "done"}
    assert 24_002_812 not in copied, copied  # A entered before the signature: never copied
    assert {j["lead_id"] for j in dp.jobs(dp_stack, account)} <= {24_002_813, 24_002_814}
    assert len(dp.leads_in(dp_stack, account, TARGET)) == 2


def test_an_unknown_account_and_a_bad_signature_get_the_same_answer(dp_stack, account):
    signed = dp.sign(dp_stack, account, RULE)
    at = int(time.time())
    unknown = dp.hook_form(account, 24_002_811, TRIGGER, signed, at)
    unknown["account_id"] = "987654321"
    forged = dp.hook_form(account, 24_002_811, TRIGGER, {**signed, "signature": "0" * 64}, at)
    answers = [dp.post_hook(dp_stack, form=form) for form in (unknown, forged)]
    assert {a.status_code for a in answers} == {401}
    assert answers[0].json() == answers[1].json()
    assert answers[0].headers["content-type"] == answers[1].headers["content-type"]


def test_a_finished_copy_keeps_no_personal_data_of_the_source(dp_stack, account):
    source = 24_002_811  # contacts Виктор Соколов and Анна Кузнецова with phones and e-mails
    signed = dp.sign(dp_stack, account, {**RULE, "catalogs": "all"})
    dp.add_trigger(dp_stack, account, TRIGGER, signed)
    dp_stack.control.move_lead(account["id"], source, *TRIGGER.values())
    (job,) = _settle_queue(dp_stack, account, 1)
    assert job["state"] == "done" and job["copy_id"]
    state = dp_stack.control.state(account["id"])
    lead = next(x for x in state["leads"] if x["id"] == source)
    contact_ids = {c["id"] for c in (lead.get("_embedded") or {}).get("contacts") or []}
    personal = set()
    for contact in state["contacts"]:
        if contact["id"] in contact_ids:
            personal |= {contact.get("name"), contact.get("first_name"), contact.get("last_name")}
            for field in contact.get("custom_fields_values") or []:
                personal |= {str(v.get("value")) for v in field.get("values") or []}
    personal = {p for p in personal if p and len(p) > 3}
    assert any("@" in p for p in personal) and len(personal) >= 4, personal  # the source really has some
    stored = json.dumps(job, ensure_ascii=False, default=str)
    assert not [p for p in personal if p in stored]
    assert lead["name"] not in stored  # nor the name the copy was given
    assert json.loads(job["data"])["plan"] is None
