"""Composition root: builds boto3 tables, the client secret, OAuth and amoCRM clients once per process.

Handlers ask this module for ready objects; domain code receives them as arguments
and never imports boto3 or httpx itself.
"""

from __future__ import annotations

import threading
from functools import cache
from typing import Any

import boto3
import httpx

from dealcopy.accounts import Account
from dealcopy.amo.client import AmoClient, base_url_for
from dealcopy.amo.oauth import OAuthClient
from dealcopy.amo.ratelimit import LimiterRegistry, SlidingWindowLimiter
from dealcopy.amo.retry import RetryPolicy
from dealcopy.amo.tokens import StaticToken, TokenProvider
from dealcopy.auth.one_time_token import OneTimeTokens
from dealcopy.config import settings
from dealcopy.copying.engine import CopyEngine
from dealcopy.install import InstallService
from dealcopy.manual_copy import ManualCopier
from dealcopy.storage.accounts import AccountRepository
from dealcopy.storage.claims import ClaimStore
from dealcopy.storage.presets import PresetRepository
from dealcopy.storage.tokens import DynamoTokenProvider
from dealcopy.web.session import WidgetSession, open_session

_lock = threading.Lock()


@cache
def dynamodb() -> Any:
    return boto3.resource("dynamodb")


def table(name: str) -> Any:
    return dynamodb().Table(name)


@cache
def accounts() -> AccountRepository:
    return AccountRepository(table(settings().accounts_table))


@cache
def claims() -> ClaimStore:
    return ClaimStore(table(settings().jobs_table))


def client_secret() -> str:
    """The integration's secret from Secrets Manager (powertools caches it for 5 minutes)."""
    from aws_lambda_powertools.utilities import parameters

    return str(parameters.get_secret(settings().client_secret_id, max_age=300))


@cache
def http() -> httpx.Client:
    """One pooled HTTP client per process (keep-alive across invocations)."""
    return httpx.Client(timeout=settings().amo_timeout)


def oauth() -> OAuthClient:
    cfg = settings()
    return OAuthClient(cfg.client_id, client_secret(), cfg.redirect_uri, http=http())


def api_base_url(domain: str) -> str:
    return base_url_for(domain, settings().amo_base_url_override)


@cache
def limiters() -> LimiterRegistry:
    cfg = settings()
    return LimiterRegistry(lambda: SlidingWindowLimiter(rate=cfg.amo_rate_limit, window=cfg.amo_rate_window))


def retry_policy() -> RetryPolicy:
    cfg = settings()
    return RetryPolicy(max_attempts=cfg.amo_max_attempts, deadline=cfg.amo_deadline)


def amo_client(account_key: str, base_url: str, tokens: TokenProvider) -> AmoClient:
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
    with _lock:
        provider = _providers.get(account.account_id)
        if provider is None:
            base_url = api_base_url(account.domain)
            provider = _providers[account.account_id] = DynamoTokenProvider(
                accounts(),
                account.account_id,
                lambda refresh_token: oauth().refresh(base_url, refresh_token),
                lease=settings().refresh_lock_seconds,
            )
        return provider


def client_for(account: Account) -> AmoClient:
    """An amoCRM client for an installed account (throttled per account, refreshing tokens)."""
    return amo_client(str(account.account_id), api_base_url(account.domain), token_provider(account))


def forget_account(account_id: int) -> None:
    """Drop cached per-account objects (after uninstall)."""
    with _lock:
        _providers.pop(account_id, None)


def install_service() -> InstallService:
    cfg = settings()
    client = oauth()

    def read_account(base_url: str, pair: Any) -> dict[str, Any]:
        api = amo_client(f"install:{base_url}", base_url, StaticToken(pair.access_token))
        return api.get("/api/v4/account")

    return InstallService(
        accounts=accounts(),
        claims=claims(),
        exchange_code=client.exchange_code,
        read_account=read_account,
        base_url_for=api_base_url,
        api_domains=cfg.api_domains,
        trial_days=cfg.trial_days,
    )


@cache
def presets() -> PresetRepository:
    return PresetRepository(table(settings().presets_table))


@cache
def one_time_tokens() -> OneTimeTokens:
    cfg = settings()
    return OneTimeTokens(claims(), client_secret, redirect_uri=cfg.redirect_uri, client_id=cfg.client_id)


def widget_session(headers: dict[str, str], *, require_licence: bool = False) -> WidgetSession:
    return open_session(headers, one_time_tokens(), accounts(), require_licence=require_licence)


def copy_engine(account: Account) -> CopyEngine:
    """The copy engine for an account; its metadata cache lives as long as the process."""
    return CopyEngine(client_for(account), account_domain=account.domain, account_key=str(account.account_id))


# --- copy jobs (DP hook, bulk, worker, catch-up); imported lazily: only those functions pay for them ---


@cache
def sqs() -> Any:
    return boto3.client("sqs")


@cache
def job_store() -> Any:
    from dealcopy.storage.jobs import JobStore

    return JobStore(table(settings().jobs_table), dynamodb())


def job_queue() -> Any:
    from dealcopy.jobs.queue import JobQueue

    cfg = settings()
    return JobQueue(sqs(), cfg.copy_queue_url, cfg.copy_dlq_url)


def job_policy() -> Any:
    from dealcopy.jobs.runner import JobPolicy

    cfg = settings()
    return JobPolicy(
        max_attempts=cfg.job_max_attempts,
        settle_seconds=cfg.job_settle_seconds,
        max_depth=cfg.dp_max_depth,
        dedup_window=cfg.dp_dedup_window,
    )


@cache
def copy_worker() -> Any:
    """The SQS worker with its collaborators (one per process)."""
    from dealcopy.jobs.seams import Seams
    from dealcopy.jobs.worker import CopyWorker

    cfg = settings()
    return CopyWorker(
        store=job_store(),
        queue=job_queue(),
        account_of=lambda account_id: accounts().get(account_id),
        engine_for=copy_engine,
        policy=job_policy(),
        seams=Seams(job_store(), cfg.test_seams) if cfg.test_seams else None,
        retry_base_seconds=cfg.job_retry_base_seconds,
    )


def catch_up() -> Any:
    from dealcopy.dp.catchup import CatchUp

    cfg = settings()
    return CatchUp(
        store=job_store(),
        queue=job_queue(),
        account_of=lambda account_id: accounts().get(account_id),
        client_for=client_for,
        grace=cfg.catchup_grace_seconds,
        overlap=cfg.catchup_overlap_seconds,
    )


def manual_copier(account: Account) -> ManualCopier:
    return ManualCopier(copy_engine(account), job_store(), account.account_id, settle=settings().manual_settle_seconds)
