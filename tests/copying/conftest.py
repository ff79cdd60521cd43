"""Fixtures: one emulator per session, a fresh demo account, a real `AmoClient` and a `CopyEngine` per test.

`Account.copy` makes a copy the way the copy route does: a manual copy job (`usecases.copies`)
over the job steps, its record in moto's jobs table (one in-process moto per session).
`Account.run_jobs` runs queued copy jobs the way the worker does (`jobs.runner`), all in one run.
"""

from __future__ import annotations

import itertools
import json
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from amo_emulator.control import EmulatorControl
from amo_emulator.seed_demo import USERS, pipeline_id, status_id
from amo_emulator.server import EmulatorServer
from dealcopy.accounts import Account as Installed
from dealcopy.accounts import AccountStatus
from dealcopy.amo.client import AmoClient
from dealcopy.amo.counting import RequestCounter
from dealcopy.amo.ratelimit import SlidingWindowLimiter
from dealcopy.amo.retry import RetryPolicy
from dealcopy.amo.tokens import StaticToken
from dealcopy.copying import CopyEngine, CopyResult, CopyRule, MetadataCache
from dealcopy.copying.rules import canonical_rule, rule_hash
from dealcopy.jobs.runner import JobRunner
from dealcopy.jobs.work import JobPolicy, Run
from dealcopy.records.job import JobError, JobMessage, JobRef
from dealcopy.storage.dynamo import Table
from dealcopy.storage.jobs import JobRepository
from dealcopy.storage.presets import PresetRepository
from dealcopy.storage.runs import RunStore
from dealcopy.usecases.copies import ManualCopier
from dealcopy.usecases.copy_lead_deadline import Deadline
from dealcopy.usecases.requests import CopyRequest
from dealcopy.usecases.rules import RuleBook
from tests.support.aws import mocked_aws

ADMIN = USERS["Евгений Агеев"]
NOW = datetime(2025, 8, 29, 21, 30, tzinfo=UTC)  # 30.08.2025 00:30 in Moscow
_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer() as srv:
        yield srv


@pytest.fixture(scope="session")
def ctl(server: EmulatorServer) -> Iterator[EmulatorControl]:
    with EmulatorControl(server.url) as control:
        yield control


@pytest.fixture(scope="module")  # no longer: moto must not outlive the tests that use it
def aws() -> Iterator[SimpleNamespace]:
    with mocked_aws("copying") as aws:
        yield aws


@dataclass
class Account:
    """A connected demo account with everything a copy test needs."""

    id: int
    domain: str
    ctl: EmulatorControl
    server: EmulatorServer
    api: AmoClient
    cache: MetadataCache
    aws: SimpleNamespace

    def engine(self, **kwargs: Any) -> CopyEngine:
        options = {"account_domain": self.domain, "cache": self.cache, "clock": lambda: NOW, **kwargs}
        return CopyEngine(self.api, **options)

    def copy(
        self, source_id: int, copy_rule: CopyRule, actor: int = ADMIN, *, engine: CopyEngine | None = None
    ) -> CopyResult:
        """One manual copy as `POST /copies` makes it (a `CopyError` when it cannot be made)."""
        engine = engine or self.engine()
        now = int(time.time())
        installed = Installed(
            self.id, self.domain.split(".")[0], self.domain, AccountStatus.ACTIVE, now, now, None, now + 86400
        )
        deadline = Deadline.of_request(arrived_at=None, lambda_left_ms=None, limit=60, margin=0)
        store = RunStore(Table(self.aws.table("JobsTable"), self.aws.resource))
        copier = ManualCopier.of(installed, engine, store, deadline, settle=0.5)
        request = CopyRequest(
            lead_id=source_id, rule=json.loads(canonical_rule(copy_rule)), idempotency_key=uuid.uuid4().hex
        )
        rules = RuleBook(self.id, PresetRepository(self.aws.table("PresetsTable")), engine)
        return CopyResult.model_validate(copier.copy(request, rules, actor))

    def installed(self) -> Installed:
        """The account as the functions read it: active, in its trial."""
        now = int(time.time())
        return Installed(
            self.id, self.domain.split(".")[0], self.domain, AccountStatus.ACTIVE, now, now, None, now + 86400
        )

    def run_jobs(
        self, jobs: list[tuple[int, CopyRule, int]], *, engine: CopyEngine | None = None
    ) -> list[CopyResult | JobError]:
        """(source, rule, actor) jobs run as one worker run of bulk jobs; each job's result or error, in order."""
        batch = uuid.uuid4().hex
        entries = []
        for i, (source_id, copy_rule, actor) in enumerate(jobs):
            canonical = canonical_rule(copy_rule)
            ref = JobRef(job_id=f"bulk-{batch}-{i}", lead_id=source_id)
            message = JobMessage(
                account_id=self.id,
                trigger="bulk",
                origin="bulk",
                rule=canonical,
                rule_hash=rule_hash(canonical),
                actor_user_id=actor,
                batch_id=batch,
                jobs=[ref],
            )
            entries.append((message, ref))
        table = Table(self.aws.table("JobsTable"), self.aws.resource)
        run = Run(self.id, self.installed(), engine or self.engine(), RunStore(table), JobPolicy(), lambda m: None)
        JobRunner(run).run(entries)
        records = JobRepository(table).get_jobs(self.id, [ref.job_id for _, ref in entries])
        out: list[CopyResult | JobError] = []
        for _, ref in entries:
            record = records[ref.job_id]
            out.append(CopyResult.model_validate(record.result) if record.result else record.error)
        return out

    def lead(self, lead_id: int) -> dict[str, Any]:
        return self.ctl.lead(self.id, lead_id)

    def mark(self) -> int:
        """The request log position now; `requests(since=mark)` shows what came after."""
        entries = self.ctl.requests(self.id)
        return entries[-1]["seq"] if entries else 0

    def requests(self, since: int = 0) -> list[dict[str, Any]]:
        return [e for e in self.ctl.requests(self.id, since) if e["path"].startswith("/api/")]

    def calls(self, since: int = 0) -> list[str]:
        return [e["template"] for e in self.requests(since)]

    @property
    def emulated(self) -> Any:
        """The emulator's in-memory account (tests change what the control API cannot)."""
        return self.server.state.accounts[self.id]


@pytest.fixture
def account(server: EmulatorServer, ctl: EmulatorControl, aws: SimpleNamespace) -> Iterator[Account]:
    """A fresh demo account (same entity ids as every demo account) without a practical rate limit."""
    n = next(_numbers)
    conn = ctl.connect(f"copy{n}", f"copy-client-{n}", demo=True, limits={"rate": 10_000, "block_after": None})
    http = httpx.Client(timeout=10)
    api = AmoClient(
        server.url,
        StaticToken(conn["tokens"]["access_token"]),
        limiter=SlidingWindowLimiter(rate=1_000),
        account_key=str(conn["account"]["id"]),
        http=http,
        policy=RetryPolicy(max_attempts=2, base=0.01, deadline=10),
        counter=RequestCounter(),
    )
    yield Account(conn["account"]["id"], conn["account"]["domain"], ctl, server, api, MetadataCache(), aws)
    http.close()


def rule(pipeline: str = "Воронка", stage: str = "Принимают решение", **options: Any) -> CopyRule:
    return CopyRule(pipeline_id=pipeline_id(pipeline), status_id=status_id(pipeline, stage), **options)


def without_notes(lead: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in lead.items() if k != "notes"}


def field_values(lead: dict[str, Any]) -> dict[int, list[dict[str, Any]]]:
    return {f["field_id"]: f["values"] for f in lead.get("custom_fields_values") or []}


def links_of(lead: dict[str, Any], to_type: str) -> list[dict[str, Any]]:
    return [ln for ln in lead["links"] if ln["to_entity_type"] == to_type]
