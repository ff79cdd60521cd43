"""Composition root: builds boto3 tables, the client secret, OAuth and amoCRM clients once per process.

Handlers ask this module for ready objects; domain code receives them as arguments
and never imports boto3 or httpx itself.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING, Any

import boto3

from dealcopy.amo.ratelimit import LimiterRegistry, SlidingWindowLimiter
from dealcopy.amo.retry import RetryPolicy
from dealcopy.config import settings
from dealcopy.storage.accounts import AccountRepository
from dealcopy.storage.claims import ClaimStore

# Built on first use: a function imports only what its routes need. The DP hook's cold start
# (<= 1.5x `import boto3`, issue 8 pt 6) pays for none of sessions, one-time tokens (jwt),
# presets, install or OAuth; keep new imports here lazy too.
if TYPE_CHECKING:
    import httpx

    from dealcopy.accounts import Account
    from dealcopy.amo.client import AmoClient
    from dealcopy.amo.oauth import OAuthClient, TokenPair
    from dealcopy.amo.tokens import TokenProvider
    from dealcopy.auth.client_secrets import ClientSecrets
    from dealcopy.auth.one_time_token import OneTimeTokens
    from dealcopy.copying.engine import CopyEngine
    from dealcopy.dp.catchup import CatchUp
    from dealcopy.install import InstallService
    from dealcopy.install_guard import UninstallGuard
    from dealcopy.jobs.queue import JobQueue
    from dealcopy.jobs.seams import Seams
    from dealcopy.jobs.work import JobPolicy
    from dealcopy.jobs.worker import CopyWorker
    from dealcopy.schedules.aws_scheduler import EventBridgeScheduler
    from dealcopy.schedules.delayed import DelayedCopies
    from dealcopy.schedules.firing import ScheduleFires
    from dealcopy.schedules.repeats import Repeats
    from dealcopy.storage.activity import ActivityRepository
    from dealcopy.storage.batches import BatchRepository
    from dealcopy.storage.dp_rules import DpRuleRepository
    from dealcopy.storage.dynamo import Table
    from dealcopy.storage.jobs import JobRepository
    from dealcopy.storage.presets import PresetRepository
    from dealcopy.storage.retention import Retention
    from dealcopy.storage.runs import RunStore
    from dealcopy.storage.schedules import ScheduleRepository
    from dealcopy.storage.signatures import SignatureRepository
    from dealcopy.storage.tokens import DynamoTokenProvider
    from dealcopy.usecases.copies import ManualCopier
    from dealcopy.usecases.copy_lead_deadline import Deadline
    from dealcopy.usecases.rules import RuleBook
    from dealcopy.web.session import WidgetSession

_lock = threading.Lock()


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
def http() -> httpx.Client:
    """One pooled HTTP client per process (keep-alive across invocations).

    With a local override (the emulator) every amoCRM host resolves to it, keeping `Host`.
    httpx loads here, on the first amoCRM call: routes that never make one do not pay for it.
    """
    import httpx

    from dealcopy.amo.loopback import transport_for

    return httpx.Client(timeout=settings().amo_timeout, transport=transport_for(settings().amo_base_url_override))


def oauth() -> OAuthClient:
    from dealcopy.amo.oauth import OAuthClient

    cfg = settings()
    return OAuthClient(cfg.client_id, client_secret(), redirect_uri(), http=http())


def api_base_url(domain: str) -> str:
    from dealcopy.amo.client import base_url_for

    return base_url_for(domain)  # the account's own host; a local override maps hosts in `http()`


@cache
def limiters() -> LimiterRegistry:
    """Per account: the in-process window first, then the budget every instance shares (docs/limits.md)."""
    cfg = settings()

    def build(key: str) -> Any:
        local = SlidingWindowLimiter(rate=cfg.amo_rate_limit, window=cfg.amo_rate_window)
        if not cfg.budget_table:
            return local
        from dealcopy.amo.budget import SharedBudget
        from dealcopy.storage.budget import DynamoSlotStore

        return SharedBudget(
            key,
            DynamoSlotStore(table(cfg.budget_table)),
            local=local,
            rate=cfg.amo_rate_limit,
            window=cfg.amo_rate_window,
            margin=cfg.amo_budget_margin,
            batch=cfg.amo_budget_batch,
            max_wait=cfg.amo_budget_wait,
        )

    return LimiterRegistry(build)


def retry_policy() -> RetryPolicy:
    cfg = settings()
    return RetryPolicy(max_attempts=cfg.amo_max_attempts, deadline=cfg.amo_deadline)


def amo_client(account_key: str, base_url: str, tokens: TokenProvider) -> AmoClient:
    from dealcopy.amo.client import AmoClient

    cfg = settings()
    return AmoClient(
        base_url,
        tokens,
        limiter=limiters().for_account(account_key),
        account_key=account_key,
        http=http(),
        policy=retry_policy(),
        timeout=cfg.amo_timeout,
    )


_providers: dict[int, DynamoTokenProvider] = {}


def token_provider(account: Account) -> DynamoTokenProvider:
    """One provider per account per process, so its cached token is shared by every caller."""
    from dealcopy.hosts import relocating_refresher
    from dealcopy.storage.tokens import DynamoTokenProvider

    with _lock:
        provider = _providers.get(account.account_id)
        if provider is None:
            provider = _providers[account.account_id] = DynamoTokenProvider(
                accounts(),
                account.account_id,
                relocating_refresher(oauth, accounts(), account.account_id, api_base_url, settings().api_domains),
                lease=settings().refresh_lock_seconds,
                deadline=settings().refresh_deadline_seconds,
            )
        return provider


def client_for(account: Account) -> AmoClient:
    """An amoCRM client for an installed account (throttled per account, refreshing tokens)."""
    return amo_client(str(account.account_id), api_base_url(account.domain), token_provider(account))


def forget_account(account_id: int) -> None:
    """Drop cached per-account objects (after uninstall)."""
    with _lock:
        _providers.pop(account_id, None)


def uninstall_guard() -> UninstallGuard:
    """The uninstall hook's use case: drops an account only once amoCRM confirms its tokens are revoked."""
    from dealcopy.amo.account import read_account
    from dealcopy.install_guard import UninstallGuard

    return UninstallGuard(
        accounts(),
        probe=lambda account: read_account(client_for(account)),
        forget=forget_account,
        retain=retention().expire,
    )


def install_service() -> InstallService:
    from dealcopy.amo.account import read_account as account_of_tokens
    from dealcopy.amo.tokens import StaticToken
    from dealcopy.install import InstallService

    cfg = settings()
    client = oauth()

    def read_account(base_url: str, pair: TokenPair) -> dict[str, Any]:
        # The account's shared budget: its id is in the new token's claims (else the host's own key).
        key = str(pair.claims().get("account_id") or f"install:{base_url}")
        api = amo_client(key, base_url, StaticToken(pair.access_token))
        return account_of_tokens(api)

    return InstallService(
        accounts=accounts(),
        claims=claims(),
        exchange_code=client.exchange_code,
        read_account=read_account,
        base_url_for=api_base_url,
        api_domains=cfg.api_domains,
        trial_days=cfg.trial_days,
        keep=retention().keep,
    )


@cache
def presets() -> PresetRepository:
    from dealcopy.storage.presets import PresetRepository

    return PresetRepository(table(settings().presets_table))


@cache
def one_time_tokens() -> OneTimeTokens:
    import time

    from dealcopy.auth.one_time_token import OneTimeTokens

    accepted = lambda: client_secrets().accepted(time.time())  # noqa: E731
    return OneTimeTokens(claims(), accepted, redirect_uri=redirect_uri(), client_id=settings().client_id)


def widget_session(headers: dict[str, str], *, require_licence: bool = False) -> WidgetSession:
    from dealcopy.hosts import follow_issuer
    from dealcopy.web.session import open_session

    session = open_session(headers, one_time_tokens(), accounts(), require_licence=require_licence)
    # a verified one-time token names the account's current host: a renamed subdomain is followed
    followed = follow_issuer(accounts(), session.account, session.caller.issuer, session.caller.subdomain)
    return session if followed is session.account else replace(session, account=followed)


def follow_hook(account: Account, subdomain: str | None) -> Account:
    """After a DP hook's signature verified for `account`: its `subdomain` becomes the stored host."""
    from dealcopy import hosts

    return hosts.follow_hook(accounts(), account, subdomain)


def copy_engine(account: Account, client: AmoClient | None = None) -> CopyEngine:
    """The copy engine for an account; its metadata cache lives as long as the process."""
    from dealcopy.copying.engine import CopyEngine

    api = client or client_for(account)
    return CopyEngine(api, account_domain=account.domain, account_key=str(account.account_id))


# --- copy jobs (DP hook, bulk, worker, catch-up); imported lazily: only those functions pay for them ---


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


job_store = job_records  # the operator tools and the demo read job records through this name


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
    return JobQueue(sqs(), cfg.copy_queue_url, cfg.copy_dlq_url)


def job_policy() -> JobPolicy:
    from dealcopy.jobs.work import JobPolicy

    cfg = settings()
    return JobPolicy(
        max_attempts=cfg.job_max_attempts,
        settle_seconds=cfg.job_settle_seconds,
        max_depth=cfg.dp_max_depth,
        dedup_window=cfg.dp_dedup_window,
    )


def account_of(account_id: int) -> Account | None:
    return accounts().get(account_id)


@cache
def copy_worker() -> CopyWorker:
    """The SQS worker with its collaborators (one per process)."""
    from dealcopy.jobs.worker import CopyWorker

    cfg = settings()
    return CopyWorker(
        store=run_store(),
        queue=job_queue(),
        account_of=account_of,
        engine_for=copy_engine,
        policy=job_policy(),
        seams=seams() if cfg.test_seams else None,
        retry_base_seconds=cfg.job_retry_base_seconds,
        fires=schedule_fires() if cfg.schedule_group else None,
    )


def catch_up() -> CatchUp:
    from dealcopy.dp.catchup import CatchUp

    cfg = settings()
    return CatchUp(
        rules=dp_rules(),
        jobs=job_records(),
        queue=job_queue(),
        account_of=account_of,
        client_for=client_for,
        signatures=signatures(),
        grace=cfg.catchup_grace_seconds,
        overlap=cfg.catchup_overlap_seconds,
    )


def rule_book(account: Account) -> RuleBook:
    """The account's presets and metadata, to resolve and check the rule of a request."""
    from dealcopy.usecases.rules import RuleBook

    return RuleBook(account.account_id, presets(), copy_engine(account))


def manual_copier(account: Account, deadline: Deadline) -> ManualCopier:
    """A manual copy whose amoCRM requests give up in time for its answer (`deadline`)."""
    from dealcopy.storage.manual_copies import ManualCheckpoints
    from dealcopy.usecases.copies import ManualCopier

    cfg = settings()
    client = client_for(account)
    client.stop_at = deadline.requests_stop_at()
    copier = ManualCopier(
        copy_engine(account, client),
        run_store(),
        ManualCheckpoints(jobs_table()),
        account.account_id,
        deadline,
        settle=cfg.manual_settle_seconds,
    )
    if cfg.test_seams:
        crash = seams()
        crash.begin()
        copier.crash = crash.crash_point
    return copier


# --- delayed and recurring copies (EventBridge Scheduler) ---------------------------------------


@cache
def scheduler() -> EventBridgeScheduler:
    """Schedules in the stack's group that send to the copy queue through the scheduler's role."""
    from dealcopy.schedules.aws_scheduler import EventBridgeScheduler, QueueTarget

    cfg = settings()
    target = QueueTarget(
        queue_arn=cfg.copy_queue_arn, role_arn=cfg.scheduler_role_arn, dead_letter_arn=cfg.scheduler_dlq_arn or None
    )
    return EventBridgeScheduler(boto3.client("scheduler"), cfg.schedule_group, target)


@cache
def schedule_store() -> ScheduleRepository:
    from dealcopy.storage.schedules import ScheduleRepository

    return ScheduleRepository(table(settings().jobs_table))


def repeats() -> Repeats:
    from dealcopy.schedules.repeats import Repeats

    return Repeats(scheduler(), schedule_store())


def delayed_copies() -> DelayedCopies:
    from dealcopy.schedules.delayed import DelayedCopies

    return DelayedCopies(scheduler(), schedule_store())


def schedule_fires() -> ScheduleFires:
    """The worker's side of schedules: a fire becomes its copy job; delayed DP jobs wait for their time."""
    from dealcopy.schedules.firing import ScheduleFires

    return ScheduleFires(repeats(), delayed_copies(), jobs=job_records(), presets=presets())
