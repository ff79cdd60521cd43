"""200 DP hooks for one account while amoCRM fails 20% of requests (429, 5xx, timeouts, commits it then
reports as failures): every event ends as exactly one copy, or as one DLQ record plus a note on its source.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from amo_emulator.seed_demo import CATALOGS, COMPANIES, CONTACTS, FIELD, USERS
from tests.dp.helpers import hook_form, install, jobs, leads, notes_on, post_hook, sign, stage, take_dlq, wait_for

pytestmark = pytest.mark.slow

EVENTS = 200
DOOMED_EVERY = 40  # every 40th source is owned by a deactivated user: it must fail, visibly
TRIGGER = stage("Воронка", "Оплачен счёт")
TARGET = stage("Выполнение", "В работе")
FAULT_KINDS = ["429", "500", "502", "503", "504", "timeout", "500_after_commit", "504_after_commit"]


def _sources(stack, account) -> list[int]:
    specs = [
        {
            "name": f"Нагрузка №{i:03d}",
            "price": 1000 + i,
            **TRIGGER,
            "responsible_user_id": USERS["Сергей Кузнецов" if i % DOOMED_EVERY == 0 else "Дмитрий Артемьевич"],
            "custom_fields_values": [
                {"field_id": FIELD["Спецификация"], "values": [{"value": f"Позиция {i}"}]},
                {"field_id": FIELD["Срочно"], "values": [{"value": i % 2 == 0}]},
            ],
            "_embedded": {
                "contacts": [{"id": CONTACTS["Виктор Соколов"], "is_main": True}],
                "companies": [{"id": COMPANIES["Арктик Вест-Сервисес"]}],
                "catalog_elements": [
                    {"id": 1_300_001, "metadata": {"quantity": 1 + i % 3, "catalog_id": CATALOGS["Товары"]}}
                ],
            },
        }
        for i in range(1, EVENTS + 1)
    ]
    created = stack.control.seed(account["id"], {"leads": specs})
    return [int(item["id"]) if isinstance(item, dict) else int(item) for item in created["leads"]]


def test_200_hooks_under_20_percent_faults_end_as_one_copy_or_one_dlq_record_and_a_note(dp_stack):
    account = install(dp_stack)
    sources = _sources(dp_stack, account)
    assert len(sources) == EVENTS
    signed = sign(dp_stack, account, {**TARGET, "responsible": {"mode": "source"}})
    dp_stack.control.add_fault(account["id"], rate=0.2, kinds=FAULT_KINDS, seed=20, delay=2.5)
    started = time.monotonic()
    at = int(time.time())
    with ThreadPoolExecutor(8) as pool:
        answers = list(
            pool.map(lambda lead: post_hook(dp_stack, form=hook_form(account, lead, TRIGGER, signed, at)), sources)
        )
    assert Counter(a.status_code for a in answers) == {200: EVENTS}

    def all_finished():
        found = jobs(dp_stack, account)
        return found if len(found) == EVENTS and all(j["state"] in ("done", "failed") for j in found) else None

    try:
        wait_for(all_finished, timeout=150, every=1, what="every job to finish")
        dp_stack.idle(timeout=60)  # the failures' notes and dead-letter records follow their state
        finished = jobs(dp_stack, account)
    finally:
        dp_stack.control.clear_faults(account["id"])
    elapsed = time.monotonic() - started
    stats = dp_stack.control.stats(account["id"])
    records = {json.loads(j["data"])["lead_id"]: json.loads(j["data"]) for j in finished}
    assert sorted(records) == sorted(sources)  # zero lost: one job per event

    done = {lead: r for lead, r in records.items() if r["state"] == "done"}
    failed = {lead: r for lead, r in records.items() if r["state"] == "failed"}
    doomed = {lead for i, lead in enumerate(sources, start=1) if i % DOOMED_EVERY == 0}
    assert doomed <= set(failed)
    assert {failed[lead]["error"]["code"] for lead in doomed} == {"responsible_unavailable"}

    # Exactly one copy per done event, zero duplicates anywhere in the target stage.
    copies = [
        lead for lead in leads(dp_stack, account) if (lead["pipeline_id"], lead["status_id"]) == tuple(TARGET.values())
    ]
    copies = [lead for lead in copies if lead["name"].startswith("Нагрузка")]
    assert Counter(lead["name"] for lead in copies).most_common(1)[0][1] == 1, "a duplicate copy"
    assert {lead["id"] for lead in copies} == {r["created"]["lead_id"] for r in done.values()}
    by_id = {lead["id"]: lead for lead in copies}
    names = {lead: f"Нагрузка №{i:03d}" for i, lead in enumerate(sources, start=1)}
    for source, record in done.items():
        copy = by_id[record["created"]["lead_id"]]
        assert copy["name"] == names[source]  # the copy of this very source
        kinds = Counter(link["to_entity_type"] for link in copy["links"])
        assert kinds == {"contacts": 1, "companies": 1, "catalog_elements": 1}, (source, kinds)

    # Every failure: one DLQ record naming the job, and a Russian note on its source.
    dead = take_dlq(dp_stack, account)
    assert sorted(m["jobs"][0]["lead_id"] for m in dead) == sorted(failed)
    for lead, record in failed.items():
        assert record["note_written"] is True and record["dead_lettered"] is True
        assert any("не создана" in text for text in notes_on(dp_stack, account, lead)), lead

    print(
        f"\n200 hooks, 20% faults: {len(done)} copies, {len(failed)} failed ({len(doomed)} by design), "
        f"{elapsed:.1f}s, {stats['api_total']} amoCRM requests, {stats['status_429']} answered 429 (injected)"
    )
