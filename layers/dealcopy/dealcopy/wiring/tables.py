"""AWS resources every function shares: DynamoDB tables and their repositories, SQS, the client secret.

One boto3 resource or client per process, built on first use.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

import boto3

from dealcopy.config import settings
from dealcopy.storage.accounts import AccountRepository
from dealcopy.storage.claims import ClaimStore

if TYPE_CHECKING:
    from dealcopy.accounts import Account
    from dealcopy.auth.client_secrets import ClientSecrets
    from dealcopy.jobs.queue import JobQueue
    from dealcopy.jobs.seams import Seams
    from dealcopy.storage.activity import ActivityRepository
    from dealcopy.storage.backlog import JobBacklog
    from dealcopy.storage.batches import BatchRepository
    from dealcopy.storage.dp_rules import DpRuleRepository
    from dealcopy.storage.dynamo import Table
    from dealcopy.storage.jobs import JobRepository
    from dealcopy.storage.lineage import LineageRepository
    from dealcopy.storage.presets import PresetRepository
    from dealcopy.storage.retention import Retention
    from dealcopy.storage.runs import RunStore
    from dealcopy.storage.schedules import ScheduleRepository
    from dealcopy.storage.signatures import SignatureRepository


@cache
def dynamodb() -> Any:  # boto3's service resource (boto3 ships no types)
    return boto3.resource("dynamodb")


def table(name: str) -> Any:
    return dynamodb().Table(name)


@cache
def accounts() -> AccountRepository:
    return AccountRepository(table(settings().accounts_table))


@cache
def claims() -> ClaimStore:
    return ClaimStore(table(settings().jobs_table))


def client_secrets() -> ClientSecrets:
    """The integration's secret from Secrets Manager, and the previous one after a rotation (cached 5 minutes)."""
    from aws_lambda_powertools.utilities import parameters

    from dealcopy.auth.client_secrets import ClientSecrets

    cfg = settings()
    raw = parameters.get_secret(cfg.client_secret_id, max_age=cfg.client_secret_cache_seconds)
    return ClientSecrets.parse(str(raw), window_days=cfg.secret_rotation_window_days)


def client_secret() -> str:
    """The current client secret: what OAuth calls send and new DP rule signatures are made with."""
    return client_secrets().current


def redirect_uri() -> str:
    """REDIRECT_URI, or else the stack's parameter holding the API's own address (template: RedirectUriParameter)."""
    cfg = settings()
    if cfg.redirect_uri or not cfg.redirect_uri_parameter:
        return cfg.redirect_uri
    from aws_lambda_powertools.utilities import parameters

    return str(parameters.get_parameter(cfg.redirect_uri_parameter, max_age=3600))


@cache
def presets() -> PresetRepository:
    from dealcopy.storage.presets import PresetRepository

    return PresetRepository(table(settings().presets_table))


@cache
def sqs() -> Any:  # boto3's SQS client (boto3 ships no types)
    return boto3.client("sqs")


@cache
def jobs_table() -> Table:
    """The jobs table, shared by the repositories of its kinds of item."""
    from dealcopy.storage.dynamo import Table

    return Table(table(settings().jobs_table), dynamodb())


@cache
def job_records() -> JobRepository:
    from dealcopy.storage.jobs import JobRepository

    return JobRepository(jobs_table())


@cache
def lineage() -> LineageRepository:
    from dealcopy.storage.lineage import LineageRepository

    return LineageRepository(jobs_table())


@cache
def run_store() -> RunStore:
    from dealcopy.storage.runs import RunStore

    return RunStore(jobs_table())


@cache
def batches() -> BatchRepository:
    from dealcopy.storage.batches import BatchRepository

    return BatchRepository(jobs_table())


@cache
def activity_log() -> ActivityRepository:
    from dealcopy.storage.activity import ActivityRepository

    return ActivityRepository(jobs_table())


@cache
def dp_rules() -> DpRuleRepository:
    from dealcopy.storage.dp_rules import DpRuleRepository

    return DpRuleRepository(jobs_table())


def retention() -> Retention:
    """After an uninstall the account's data expires in 30 days; a re-install keeps it (`storage.retention`)."""
    from dealcopy.storage.retention import Retention

    return Retention(jobs_table(), table(settings().presets_table))


@cache
def signatures() -> SignatureRepository:
    from dealcopy.storage.signatures import SignatureRepository

    return SignatureRepository(jobs_table())


def seams() -> Seams:
    """The worker's crash seam (armed only where `TEST_SEAMS=true`)."""
    from dealcopy.jobs.seams import Seams
    from dealcopy.storage.countdowns import Countdowns

    return Seams(Countdowns(jobs_table()), settings().test_seams)


def job_queue() -> JobQueue:
    from dealcopy.jobs.queue import JobQueue

    cfg = settings()
    return JobQueue(sqs(), cfg.copy_queue_url, cfg.copy_dlq_url, job_backlog() if cfg.job_batch_size else None)


@cache
def job_backlog() -> JobBacklog:
    from dealcopy.storage.backlog import JobBacklog

    return JobBacklog(jobs_table())


def account_of(account_id: int) -> Account | None:
    return accounts().get(account_id)


@cache
def schedule_store() -> ScheduleRepository:
    from dealcopy.storage.schedules import ScheduleRepository

    return ScheduleRepository(table(settings().jobs_table))
