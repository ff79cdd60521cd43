"""The worker's batch semantics, with in-process moto and the real emulator (no mocked client).

Receive counts are set on the records by hand, which is how the queue's last delivery is
reached without waiting for five real deliveries.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import time
import uuid

import httpx
import pytest

from amo_emulator.seed_demo import pipeline_id, status_id
from dealcopy.accounts import Account, AccountStatus
from dealcopy.amo.client import AmoClient
from dealcopy.amo.counting import RequestCounter
from dealcopy.amo.ratelimit import SlidingWindowLimiter
from dealcopy.amo.retry import RetryPolicy
from dealcopy.amo.tokens import StaticToken
from dealcopy.copying import CopyEngine, MetadataCache
from dealcopy.copying.rules import canonical_rule, parse_rule, rule_hash
from dealcopy.jobs.queue import JobQueue
from dealcopy.jobs.work import JobPolicy
from dealcopy.jobs.worker import CopyWorker
from dealcopy.records.job import DpEvent, JobMessage, JobRef, dp_job_id
from dealcopy.storage.dynamo import Table
from dealcopy.storage.jobs import JobRepository
from dealcopy.storage.runs import RunStore
from devstack.lambda_context import LocalContext

_numbers = itertools.count(1)
TRIGGER = {"pipeline_id": pipeline_id("Воронка"), "status_id": status_id("Воронка", "Оплачен счёт")}
RULE = canonical_rule(
    parse_rule(
        {
            "pipeline_id": pipeline_id("Выполнение"),
            "status_id": status_id("Выполнение", "В работе"),
            "fields": [],
            "catalogs": [],
        }
    )
)


class Harness:
    def __init__(self, aws, emulator) -> None:
        server, self.ctl = emulator
        self.aws = aws
        table = Table(aws.table("JobsTable"), aws.dynamodb)
        self.store = JobRepository(table)
        self.queue_url = aws.provisioned.physical["CopyJobsQueue"]
        self.dlq_url = aws.provisioned.physical["CopyJobsDeadLetterQueue"]
        self.accounts: dict[int, Account] = {}
        self.engines: dict[int, CopyEngine] = {}
        self.url = server.url
        self.worker = CopyWorker(
            store=RunStore(table),
            queue=JobQueue(aws.sqs, self.queue_url, self.dlq_url),
            account_of=self.accounts.get,
            engine_for=lambda account: self.engines[account.account_id],
            policy=JobPolicy(max_attempts=5, settle_seconds=0, max_depth=3),
        )

    def account(self) -> dict:
        n = next(_numbers)
        conn = self.ctl.connect(f"wk{n}x{uuid.uuid4().hex[:6]}", f"wk-client-{n}", demo=True, limits={"rate": 10_000})
        acc = conn["account"]
        now = int(time.time())
        self.accounts[acc["id"]] = Account(
            account_id=acc["id"],
            subdomain=acc["subdomain"],
            domain=acc["domain"],
            status=AccountStatus.ACTIVE,
            installed_at=now,
            first_installed_at=now,
            trial_until=now + 86400,
        )
        api = AmoClient(
            self.url,
            StaticToken(conn["tokens"]["access_token"]),
            limiter=SlidingWindowLimiter(rate=1_000),
            account_key=str(acc["id"]),
            http=httpx.Client(timeout=5),
            policy=RetryPolicy(max_attempts=2, base=0.01, cap=0.05, deadline=3),
            counter=RequestCounter(),
        )
        self.engines[acc["id"]] = CopyEngine(api, account_domain=acc["domain"], cache=MetadataCache())
        return acc

    def message(self, account: dict, lead_id: int, at: int | None = None, rule: str = RULE) -> JobMessage:
        at = at or int(time.time())
        self.ctl.move_lead(account["id"], lead_id, *TRIGGER.values())  # the worker confirms the hook's stage
        digest = rule_hash(rule)
        job_id = dp_job_id(account["id"], lead_id, *TRIGGER.values(), at, digest)
        return JobMessage(
            account_id=account["id"],
            trigger="dp",
            rule=rule,
            rule_hash=digest,
            event=DpEvent(**TRIGGER, time=at),
            jobs=[JobRef(job_id=job_id, lead_id=lead_id)],
        )

    def handle(self, deliveries: list[tuple[JobMessage | str, int]]) -> dict:
        records = []
        for i, (message, count) in enumerate(deliveries):
            body = message if isinstance(message, str) else message.to_json()
            group = str(message.account_id) if isinstance(message, JobMessage) else "1"
            records.append(
                {
                    "messageId": f"m{i}",
                    "receiptHandle": f"handle-{i}",
                    "body": body,
                    "attributes": {"ApproximateReceiveCount": str(count), "MessageGroupId": group},
                    "messageAttributes": {},
                    "md5OfBody": "",
                    "eventSource": "aws:sqs",
                    "eventSourceARN": "arn:aws:sqs:eu-central-1:123456789012:q.fifo",
                    "awsRegion": "eu-central-1",
                }
            )
        answer = self.worker.handle({"Records": records}, LocalContext("WorkerFunction", timeout_seconds=120))
        return {"failed": [f["itemIdentifier"] for f in answer["batchItemFailures"]]}

    def job(self, account: dict, message: JobMessage):
        return self.store.get_jobs(account["id"], [message.jobs[0].job_id]).get(message.jobs[0].job_id)

    def messages(self, url: str) -> list[dict]:
        got = self.aws.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        return [json.loads(m["Body"]) if m["Body"].startswith("{") else m["Body"] for m in got]


@pytest.fixture
def harness(aws, emulator):
    return Harness(aws, emulator)


def test_a_failing_group_fails_from_its_first_pending_record_and_other_groups_go_on(harness):
    blocked, healthy = harness.account(), harness.account()
    harness.ctl.add_fault(blocked["id"], kind="403", count=1)  # amoCRM blocks this account's requests
    batch = [
        (harness.message(blocked, 24_002_811), 1),
        (harness.message(healthy, 24_002_811), 1),
        (harness.message(blocked, 24_002_812), 1),
        (harness.message(healthy, 24_002_812), 1),
    ]
    answer = harness.handle(batch)
    assert answer["failed"] == ["m0", "m2"]
    for message, _ in batch[1::2]:
        assert harness.job(healthy, message).state.value == "done"
    record = harness.job(blocked, batch[0][0])
    assert record.state.value == "queued" and record.attempts == 1 and record.last_error.code == "amocrm_403"


def test_a_finished_job_behind_a_pending_one_is_reported_failed_too_and_its_redelivery_is_a_no_op(harness):
    harness.worker.policy = JobPolicy(max_attempts=5, settle_seconds=60, max_depth=3)  # no inline reconcile
    account = harness.account()
    first, second = harness.message(account, 24_002_811), harness.message(account, 24_002_812)
    harness.ctl.add_fault(account["id"], kind="500", count=1, method="POST", path="/api/v4/leads")
    assert harness.handle([(first, 1)]) == {"failed": ["m0"]}  # uncertain create: must settle before a search
    assert harness.job(account, first).state.value == "creating"
    answer = harness.handle([(first, 2), (second, 1)])
    assert answer["failed"] == ["m0", "m1"]  # FIFO: nothing overtakes the pending first record...
    assert harness.job(account, second).state.value == "done"  # ...though the second job is finished
    copies_before = len(harness.ctl.state(account["id"])["leads"])
    assert harness.handle([(second, 2)]) == {"failed": []}  # its re-delivery: a no-op
    assert len(harness.ctl.state(account["id"])["leads"]) == copies_before


def test_the_last_delivery_ends_a_job_with_a_note_naming_its_stage_and_a_dlq_record(harness):
    account = harness.account()
    message = harness.message(account, 24_002_811)
    harness.ctl.add_fault(account["id"], kind="500", count=1000, method="POST", path="/api/v4/leads")
    for count in range(1, 5):
        assert harness.handle([(message, count)]) == {"failed": ["m0"]}
    assert harness.job(account, message).attempts == 4
    assert harness.handle([(message, 5)]) == {"failed": []}  # not failed: finished by us
    record = harness.job(account, message)
    assert record.state.value == "failed" and record.attempts == 5 and record.failed_from.value == "creating"
    assert record.note_written is True and record.dead_lettered is True
    notes = [n["params"]["text"] for n in harness.ctl.lead(account["id"], 24_002_811)["notes"]]
    (note,) = [text for text in notes if "не создана" in text]
    assert "Попыток: 5" in note
    # the event's stage by name, from the metadata the runs loaded anyway: one read of the pipelines in all
    assert "Событие: сделка вошла в этап «Оплачен счёт» воронки «Воронка»." in note, note
    assert f"#{TRIGGER['status_id']}" not in note and f"#{TRIGGER['pipeline_id']}" not in note
    reads = [e for e in harness.ctl.requests(account["id"]) if e["path"] == "/api/v4/leads/pipelines"]
    assert len(reads) == 1
    (dead,) = harness.messages(harness.dlq_url)
    assert dead["jobs"][0]["job_id"] == message.jobs[0].job_id and dead["failure"]["code"] == "amocrm_uncertain"


def test_a_hook_whose_lead_never_entered_its_stage_stops_naming_the_stage(harness):
    account = harness.account()
    message = harness.message(account, 24_002_813, at=int(time.time()) - 3600)  # the lead entered it only now
    harness.ctl.move_lead(account["id"], 24_002_813, pipeline_id("Выполнение"), status_id("Выполнение", "В работе"))
    assert harness.handle([(message, 1)]) == {"failed": []}
    record = harness.job(account, message)
    assert record.state.value == "stopped" and record.error.code == "stage_not_reached"
    assert "не была на этапе «Воронка → Оплачен счёт» около времени события" in record.error.message_ru
    assert "was not in stage “Воронка → Оплачен счёт”" in record.error.message_en


def test_a_last_delivery_with_attempts_left_is_queued_afresh(harness):
    """Its earlier deliveries were skipped behind a failing record: it has had only one real attempt."""
    account = harness.account()
    message = harness.message(account, 24_002_811)
    harness.ctl.add_fault(account["id"], kind="403", count=1)
    assert harness.handle([(message, 5)]) == {"failed": []}
    assert harness.job(account, message).attempts == 1
    (again,) = harness.messages(harness.queue_url)
    assert again["origin"] == "recycle" and again["jobs"] == [{"job_id": message.jobs[0].job_id, "lead_id": 24_002_811}]
    assert harness.messages(harness.dlq_url) == []


def test_an_unreadable_message_goes_to_the_dlq_and_is_acknowledged(harness):
    assert harness.handle([("not a job", 1)]) == {"failed": []}
    assert harness.messages(harness.dlq_url) == ["not a job"]


def test_an_uninstalled_account_stops_its_jobs_without_calling_amocrm_or_the_dlq(harness):
    """An account that left raises no dead-letter alarm; a disconnected one's jobs wait in the DLQ for a re-drive."""
    account = harness.account()
    harness.accounts[account["id"]] = dataclasses.replace(
        harness.accounts[account["id"]], status=AccountStatus.UNINSTALLED
    )
    message = harness.message(account, 24_002_811)
    assert harness.handle([(message, 1)]) == {"failed": []}
    record = harness.job(account, message)
    assert record.state.value == "stopped" and record.error.code == "account_inactive" and record.note_written is None
    assert harness.ctl.stats(account["id"])["api_total"] == 0
    assert harness.messages(harness.dlq_url) == []

    harness.accounts[account["id"]] = dataclasses.replace(
        harness.accounts[account["id"]], status=AccountStatus.REINSTALL_REQUIRED
    )
    other = harness.message(account, 24_002_812)
    assert harness.handle([(other, 1)]) == {"failed": []}
    assert harness.job(account, other).state.value == "failed"
    (dead,) = harness.messages(harness.dlq_url)
    assert dead["failure"]["code"] == "account_inactive"


def _rule_into(stage: str) -> str:
    target = {"pipeline_id": pipeline_id("Выполнение"), "status_id": status_id("Выполнение", stage)}
    return canonical_rule(parse_rule({**target, "fields": [], "catalogs": []}))


def test_an_uncertain_create_into_two_stages_is_adopted_by_one_search_per_stage(harness):
    """amoCRM honours one stage per `filter[statuses]` (the emulator only entry [0]): a batch whose
    create into stages A and B was not confirmed still finds both leads, and creates neither again."""
    account = harness.account()
    messages = []
    for lead_id, stage in ((24_002_811, "В работе"), (24_002_812, "Проверка")):
        message = harness.message(account, lead_id)
        rule = _rule_into(stage)
        messages.append(message.but(rule=rule, rule_hash=rule_hash(rule)))
    before = {lead["id"] for lead in harness.ctl.state(account["id"])["leads"]}
    harness.ctl.add_fault(account["id"], kind="500_after_commit", count=1, method="POST", path="/api/v4/leads")
    assert harness.handle([(m, 1) for m in messages]) == {"failed": []}
    records = [harness.job(account, m) for m in messages]
    assert [r.state.value for r in records] == ["done", "done"]
    made = [lead for lead in harness.ctl.state(account["id"])["leads"] if lead["id"] not in before]
    assert sorted(lead["id"] for lead in made) == sorted(r.copy_id for r in records)  # adopted, none made twice
    assert {lead["status_id"] for lead in made} == {status_id("Выполнение", s) for s in ("В работе", "Проверка")}
    calls = harness.ctl.requests(account["id"])
    assert sum(1 for c in calls if c["method"] == "POST" and c["path"] == "/api/v4/leads") == 1
    searches = [c for c in calls if c["method"] == "GET" and c["path"] == "/api/v4/leads"]
    assert len(searches) >= 2  # one per target stage
