"""Loop guard, failures that end in the DLQ with a note on the source, and the operator's re-drive."""

from __future__ import annotations

import json

import pytest

from tests.dp.helpers import (
    add_trigger,
    admin,
    install,
    jobs,
    leads_in,
    notes_on,
    settled,
    sign,
    stage,
    take_dlq,
    wait_for,
)

SOURCE = 24_002_811
PAID = stage("Воронка", "Оплачен счёт")
DELIVERY = stage("Выполнение", "В работе")
PARTNERS = stage("Партнёры", "Новая заявка")
LOGISTICS = stage("Логистика", "Первичный контакт")
RENEWALS = stage("Повторные продажи", "Новый запрос")
LIGHT = {"fields": [], "catalogs": [], "copy_contacts": False, "copy_company": False}


@pytest.fixture
def account(dp_stack):
    return install(dp_stack)


def _chain(stack, account, hops: list[tuple[dict, dict]]) -> None:
    for trigger, target in hops:
        add_trigger(stack, account, trigger, sign(stack, account, {**target, **LIGHT}))


def test_a_chain_of_rules_stops_at_depth_3_with_a_note(dp_stack, account):
    _chain(dp_stack, account, [(PAID, DELIVERY), (DELIVERY, PARTNERS), (PARTNERS, LOGISTICS), (LOGISTICS, RENEWALS)])
    dp_stack.control.move_lead(account["id"], SOURCE, *PAID.values())
    wait_for(lambda: settled(dp_stack, account, 4), timeout=40, what="four jobs")
    dp_stack.idle()  # nothing more follows: no fifth job
    done = jobs(dp_stack, account)
    assert sorted(j["state"] for j in done) == ["done", "done", "done", "stopped"]
    records = sorted((json.loads(j["data"]) for j in done), key=lambda r: r["depth"])
    assert [r["depth"] for r in records] == [1, 2, 3, 4]
    stopped = records[-1]
    assert stopped["state"] == "stopped" and stopped["error"]["code"] == "loop_depth"
    third_copy = records[2]["result"]["lead_id"]
    assert stopped["lead_id"] == third_copy
    assert any(
        "Автоматическое копирование остановлено" in t and "(3)" in t for t in notes_on(dp_stack, account, third_copy)
    )
    assert leads_in(dp_stack, account, RENEWALS) == []  # no fourth copy
    assert [len(leads_in(dp_stack, account, s)) for s in (DELIVERY, PARTNERS, LOGISTICS)] == [1, 1, 1]
    assert take_dlq(dp_stack, account) == []  # a stop is not a failure


def test_a_cycle_of_rules_is_stopped_and_noted(dp_stack, account):
    _chain(dp_stack, account, [(PAID, DELIVERY), (DELIVERY, PAID)])
    dp_stack.control.move_lead(account["id"], SOURCE, *PAID.values())
    wait_for(lambda: settled(dp_stack, account, 3), timeout=40, what="three jobs")
    dp_stack.idle()
    records = sorted((json.loads(j["data"]) for j in jobs(dp_stack, account)), key=lambda r: r["depth"])
    assert [(r["depth"], r["state"]) for r in records] == [(1, "done"), (2, "done"), (3, "stopped")]
    assert records[-1]["error"]["code"] == "loop_cycle"
    second_copy = records[1]["result"]["lead_id"]
    assert any("цикл" in text for text in notes_on(dp_stack, account, second_copy))
    assert len(leads_in(dp_stack, account, DELIVERY)) == 1 and len(leads_in(dp_stack, account, PAID)) == 1


def test_a_permanent_failure_ends_in_the_dlq_with_a_russian_note_on_the_source(dp_stack, account):
    """The source's responsible user is deactivated: the copy cannot be owned by anyone the rule allows."""
    source = 24_002_819  # «Консультация по виртуализации», responsible: Сергей Кузнецов (deactivated)
    add_trigger(
        dp_stack, account, PAID, sign(dp_stack, account, {**DELIVERY, **LIGHT, "responsible": {"mode": "source"}})
    )
    dp_stack.control.move_lead(account["id"], source, *PAID.values())
    wait_for(lambda: settled(dp_stack, account, 1), what="the failed job")
    dp_stack.idle()  # the note and the dead-letter record are written after the failed state
    (job,) = jobs(dp_stack, account)
    record = json.loads(job["data"])
    assert record["state"] == "failed" and record["error"]["code"] == "responsible_unavailable"
    assert record["note_written"] is True and record["dead_lettered"] is True
    (note,) = [t for t in notes_on(dp_stack, account, source) if "не создана" in t]
    assert note.startswith("Автоматическая копия сделки (цифровая воронка) не создана: ")
    assert "Сергей Кузнецов" in note and "деактивирован" in note
    (dead,) = take_dlq(dp_stack, account)
    assert dead["jobs"] == [{"job_id": record["job_id"], "lead_id": source}]
    assert dead["failure"]["code"] == "responsible_unavailable" and dead["failure"]["note_written"] is True
    assert leads_in(dp_stack, account, DELIVERY) == []


@pytest.mark.slow
def test_amocrm_refusing_every_create_ends_in_dlq_and_note_then_the_redrive_completes_it(dp_stack, account):
    """Every create answers 500 (maybe done, maybe not): never a blind second create; after the last
    attempt the job is dead-lettered with a note; an operator re-drives it after the fix and it completes."""
    add_trigger(dp_stack, account, PAID, sign(dp_stack, account, {**DELIVERY, **LIGHT}))
    dp_stack.control.add_fault(account["id"], kind="500", count=1000, method="POST", path="/api/v4/leads")
    dp_stack.control.move_lead(account["id"], SOURCE, *PAID.values())
    (job,) = wait_for(lambda: settled(dp_stack, account, 1), timeout=90, what="the job's last attempt")
    record = json.loads(job["data"])
    assert record["state"] == "failed" and record["failed_from"] == "creating"
    assert record["attempts"] == 5 and record["error"]["code"] == "amocrm_uncertain"
    (note,) = [t for t in notes_on(dp_stack, account, SOURCE) if "не создана" in t]
    assert "Попыток: 5" in note and "могла быть создана" in note
    assert leads_in(dp_stack, account, DELIVERY) == []
    listed = admin(dp_stack, "jobs", "failed", "--account", str(account["id"]))
    assert [(j["job_id"], j["failed_in"], j["code"], j["in_dlq"]) for j in listed] == [
        (record["job_id"], "creating", "amocrm_uncertain", True)
    ]
    # The fix: amoCRM is healthy again. The re-drive resumes the job (a search first, then the create).
    dp_stack.control.clear_faults(account["id"])
    result = admin(dp_stack, "dlq", "redrive", "--account", str(account["id"]))
    assert result["moved"] == 1 and result["jobs_reset"] == 1
    (job,) = wait_for(lambda: settled(dp_stack, account, 1), timeout=30, what="the re-driven job")
    assert job["state"] == "done", job["data"]
    assert len(leads_in(dp_stack, account, DELIVERY)) == 1
    assert admin(dp_stack, "jobs", "failed", "--account", str(account["id"])) == []
    assert take_dlq(dp_stack, account) == []
