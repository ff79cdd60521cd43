"""Batching per account: the worker runs the account's backlog, not only the 10 messages SQS hands it.

In-process moto and the real emulator, as `test_worker_units`; messages are queued through the real
`JobQueue` (SQS and the backlog), and a batch of the first 10 is handed to the worker as the event
source would. Request counts come from the emulator's request log.
"""

from __future__ import annotations

import math
import time

import pytest

from amo_emulator.seed_demo import USERS
from dealcopy.copying.rules import canonical_rule, parse_rule
from dealcopy.jobs.backlog import GATHER_STEP, gather
from dealcopy.jobs.queue import JobQueue
from dealcopy.jobs.work import JobPolicy
from dealcopy.records.job import JobMessage
from dealcopy.storage.backlog import JobBacklog
from dealcopy.storage.dynamo import Table
from devstack.client import api_requests, request_log_mark
from tests.dp.test_worker_units import TRIGGER, Harness
from tools.bench_scale.load import TARGET, seed_leads

BATCH = 200
RULE = canonical_rule(parse_rule({**TARGET, "fields": [], "catalogs": [], "responsible": {"mode": "source"}}))


class BatchHarness(Harness):
    def __init__(self, aws, emulator) -> None:
        super().__init__(aws, emulator)
        self.backlog = JobBacklog(Table(aws.table("JobsTable"), aws.dynamodb))
        self.queue = JobQueue(aws.sqs, self.queue_url, self.dlq_url, self.backlog)
        self.worker.queue = self.queue
        self.worker.backlog = self.backlog
        self.worker.policy = JobPolicy(max_attempts=5, settle_seconds=0, max_depth=3, batch_size=BATCH)

    def dp(self, account: dict, lead_id: int, at: int) -> JobMessage:
        return self.message(account, lead_id, at, RULE)

    def queued(self, account: dict, leads: list[int], at: int | None = None) -> list[JobMessage]:
        at = at or int(time.time())
        messages = [self.dp(account, lead, at) for lead in leads]
        self.queue.send(messages)
        return messages

    def warm(self, account: dict) -> None:
        """One copy first, so the counts below are of the batch, not of the account's metadata."""
        (lead,) = seed_leads(self.ctl, account, 1)
        (message,) = self.queued(account, [lead])
        assert self.handle([(message, 1)]) == {"failed": []}

    def states(self, account: dict, messages: list[JobMessage]) -> dict[str, int]:
        ids = [m.jobs[0].job_id for m in messages]
        found = self.store.get_jobs(account["id"], ids)
        counts: dict[str, int] = {}
        for job_id in ids:
            state = found[job_id].state.value if job_id in found else "none"
            counts[state] = counts.get(state, 0) + 1
        return counts

    def copies(self, account: dict) -> list[dict]:
        return [
            lead
            for lead in self.ctl.state(account["id"])["leads"]
            if (lead["pipeline_id"], lead["status_id"]) == (TARGET["pipeline_id"], TARGET["status_id"])
            and lead["name"].startswith("Заказ")  # seeded by `seed_leads` (the demo has deals of its own there)
        ]


@pytest.fixture
def harness(aws, emulator):
    return BatchHarness(aws, emulator)


def _paths(requests: list[dict]) -> list[str]:
    return [e["template"] for e in requests]


@pytest.mark.parametrize("count", [60, 120])
def test_n_queued_jobs_cost_at_most_4_requests_per_50_and_their_later_deliveries_nothing(harness, count):
    account = harness.account()
    harness.warm(account)
    messages = harness.queued(account, seed_leads(harness.ctl, account, count))
    mark = request_log_mark(harness.ctl, account["id"])
    assert harness.handle([(m, 1) for m in messages[:10]]) == {"failed": []}
    made = api_requests(harness.ctl, account["id"], mark)
    assert harness.states(account, messages) == {"done": count}
    assert len(made) <= math.ceil(count / 50) * 4, _paths(made)
    assert _paths(made).count("POST /api/v4/leads") == math.ceil(count / 50)
    assert len(harness.copies(account)) == count + 1  # and the warm-up's
    # The later messages of these jobs still come: each finds its job finished and asks amoCRM nothing.
    mark = request_log_mark(harness.ctl, account["id"])
    for start in range(10, count, 10):
        assert harness.handle([(m, 1) for m in messages[start : start + 10]]) == {"failed": []}
    assert api_requests(harness.ctl, account["id"], mark) == []
    assert len(harness.copies(account)) == count + 1
    assert harness.backlog.count(account["id"], 1000) == 0


def test_the_batch_size_caps_a_run_and_the_rest_waits_for_the_next(harness):
    harness.worker.policy = JobPolicy(max_attempts=5, settle_seconds=0, max_depth=3, batch_size=30)
    account = harness.account()
    messages = harness.queued(account, seed_leads(harness.ctl, account, 45))
    assert harness.handle([(m, 1) for m in messages[:10]]) == {"failed": []}
    assert harness.states(account, messages) == {"done": 30, "none": 15}
    assert harness.handle([(m, 1) for m in messages[10:20]]) == {"failed": []}
    assert harness.states(account, messages) == {"done": 45}


def test_a_deal_moved_twice_is_copied_twice_in_the_order_of_its_events(harness):
    account = harness.account()
    leads = seed_leads(harness.ctl, account, 3)
    at = int(time.time()) - 600
    early = harness.queued(account, leads, at)
    late = harness.queued(account, leads[:1], at + 300)  # the same deal again, beyond the near-duplicate window
    assert harness.handle([(m, 1) for m in early[:1]]) == {"failed": []}
    assert harness.states(account, [*early, *late]) == {"done": 4}
    by_job = harness.store.get_jobs(account["id"], [early[0].jobs[0].job_id, late[0].jobs[0].job_id])
    first, second = (by_job[m.jobs[0].job_id].result["lead_id"] for m in (early[0], late[0]))
    assert first < second  # amoCRM numbers leads in the order it creates them


def test_one_bad_deal_in_a_batch_fails_alone_with_its_note_and_dlq_record(harness):
    account = harness.account()
    harness.warm(account)
    leads = seed_leads(harness.ctl, account, 20)
    (bad,) = harness.ctl.seed(
        account["id"],
        {"leads": [{"name": "Ушедший ответственный", **TRIGGER, "responsible_user_id": USERS["Сергей Кузнецов"]}]},
    )["leads"]
    messages = harness.queued(account, [*leads[:10], bad, *leads[10:]])
    mark = request_log_mark(harness.ctl, account["id"])
    assert harness.handle([(m, 1) for m in messages[:10]]) == {"failed": []}
    assert harness.states(account, messages) == {"done": 20, "failed": 1}
    record = harness.job(account, messages[10])
    assert record.error.code == "responsible_unavailable" and record.note_written and record.dead_lettered
    assert any("не создана" in n["params"]["text"] for n in harness.ctl.lead(account["id"], bad)["notes"])
    (dead,) = harness.messages(harness.dlq_url)
    assert dead["jobs"] == [{"job_id": record.job_id, "lead_id": bad}]
    assert _paths(api_requests(harness.ctl, account["id"], mark)).count("POST /api/v4/leads") == 1


@pytest.mark.parametrize("kind", ["504", "504_after_commit"])
def test_a_504_on_a_50_lead_create_makes_each_copy_once_and_resends_smaller(harness, kind):
    account = harness.account()
    harness.warm(account)
    messages = harness.queued(account, seed_leads(harness.ctl, account, 50))
    harness.ctl.add_fault(account["id"], kind=kind, count=1, method="POST", path="/api/v4/leads")
    mark = request_log_mark(harness.ctl, account["id"])
    assert harness.handle([(m, 1) for m in messages[:10]]) == {"failed": []}
    assert harness.states(account, messages) == {"done": 50}
    assert len(harness.copies(account)) == 51  # and the warm-up's: none twice
    creates = _paths(api_requests(harness.ctl, account["id"], mark)).count("POST /api/v4/leads")
    # Made despite the 504: found by the search, nothing sent again; not made: sent again in bodies of 10.
    assert creates == (1 if kind == "504_after_commit" else 1 + 5)


def test_a_run_waits_while_the_backlog_grows_and_no_longer(harness):
    account = harness.account()
    leads = seed_leads(harness.ctl, account, 30)
    at = int(time.time())
    harness.queued(account, leads[:5], at)
    arriving = [harness.dp(account, lead, at) for lead in leads[5:]]
    slept: list[float] = []

    def sleep(seconds: float) -> None:  # while the run waits, the burst goes on arriving, 10 at a time
        slept.append(seconds)
        harness.queue.send(arriving[:10])
        del arriving[:10]

    taken = gather(harness.backlog, account["id"], BATCH, 2.0, sleep)
    assert len(taken) == 30 and [q.message.jobs[0].lead_id for q in taken] == leads
    assert len(slept) == 4  # three steps of growth, one that saw none
    assert gather(harness.backlog, account["id"], 10, 2.0, slept.append) and len(slept) == 4  # full: no wait
    assert gather(harness.backlog, account["id"] + 1, BATCH, 2.0, slept.append) == [] and len(slept) == 4
    assert 4 * GATHER_STEP <= 2.0
