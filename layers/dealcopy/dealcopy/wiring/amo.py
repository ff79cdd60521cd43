"""amoCRM clients: one pooled HTTP client, the shared send budget, token providers per account.

httpx loads on the first amoCRM call: routes that never make one do not pay for it.
"""

from __future__ import annotations

import threading
from functools import cache
from typing import TYPE_CHECKING, Any

from dealcopy.amo.ratelimit import LimiterRegistry, SlidingWindowLimiter
from dealcopy.amo.retry import RetryPolicy
from dealcopy.config import settings
from dealcopy.wiring.tables import accounts, client_secret, table

if TYPE_CHECKING:
    import httpx

    from dealcopy.accounts import Account
    from dealcopy.amo.client import AmoClient
    from dealcopy.amo.oauth import OAuthClient
    from dealcopy.amo.tokens import TokenProvider
    from dealcopy.copying.engine import CopyEngine
    from dealcopy.storage.tokens import DynamoTokenProvider

_lock = threading.Lock()


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
    return OAuthClient(cfg.client_id, client_secret(), cfg.redirect_uri, http=http())


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
                on_refused=_count_refused,
            )
        return provider


def _count_refused(account_id: int) -> None:
    """amoCRM refused an account's refresh token for good: the metric an alarm watches."""
    from dealcopy.observability import metrics

    metrics.add_metric(name="RefreshRefused", unit="Count", value=1)


def client_for(account: Account) -> AmoClient:
    """An amoCRM client for an installed account (throttled per account, refreshing tokens, following a
    rename after a 404 before the 404 counts)."""
    from dealcopy.hosts import host_checker

    client = amo_client(str(account.account_id), api_base_url(account.domain), token_provider(account))
    client.host_check = host_checker(oauth, accounts(), account.account_id, api_base_url, settings().api_domains)
    return client


def confirms_host(account: Account, host: str) -> bool:
    """Whether amoCRM answers at `host` as this account (`GET /api/v4/account` with its token names its id).

    The stored token as it is (no refresh is spent at a host that may not be the account's)."""
    from dealcopy.amo.account import read_account
    from dealcopy.amo.errors import AmoError, AmoTokenError, AmoUnavailable
    from dealcopy.amo.tokens import StaticToken

    try:
        token = token_provider(account).access_token()
        api = amo_client(str(account.account_id), api_base_url(host), StaticToken(token))
        return int((read_account(api) or {}).get("id") or 0) == account.account_id
    except (AmoError, AmoUnavailable, AmoTokenError, ValueError):
        return False


def forget_account(account_id: int) -> None:
    """Drop cached per-account objects (after uninstall)."""
    with _lock:
        _providers.pop(account_id, None)


def copy_engine(account: Account, client: AmoClient | None = None) -> CopyEngine:
    """The copy engine for an account; its metadata cache lives as long as the process."""
    from dealcopy.copying.engine import CopyEngine

    api = client or client_for(account)
    return CopyEngine(
        api,
        account_domain=account.domain,
        account_key=str(account.account_id),
        country=account.country,
        timezone=account.timezone,
    )
