"""Race-safe token refresh: DynamoDB (moto server) + the emulator's single-use refresh rotation."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest

from dealcopy.accounts import AccountStatus
from dealcopy.amo.errors import ReinstallRequired
from dealcopy.amo.oauth import OAuthClient, TokenPair
from dealcopy.amo.ratelimit import SlidingWindowLimiter
from dealcopy.storage.accounts import AccountRepository
from dealcopy.storage.tokens import DynamoTokenProvider
from tests.integration.amo_helpers import client
from tests.integration.conftest import unique


@pytest.fixture
def installed(emulator, tables):
    client_id = unique("client")
    connected = emulator.control.connect(unique("r"), client_id=client_id)
    account_id = connected["account"]["id"]
    tokens = connected["tokens"]
    accounts = AccountRepository(tables.table("AccountsTable"))
    oauth = OAuthClient(client_id, f"{client_id}-secret", f"https://{client_id}.example/oauth")

    def store(expires_at: int) -> None:
        pair = TokenPair(
            access_token=tokens["access_token"], refresh_token=tokens["refresh_token"], expires_at=expires_at
        )
        accounts.record_install(account_id=account_id, subdomain="r", domain="r.amocrm.ru", tokens=pair, trial_days=14)

    def worker_client(limiter: SlidingWindowLimiter):
        # One provider per worker: like separate Lambda instances they share nothing but the table.
        provider = DynamoTokenProvider(accounts, account_id, lambda rt: oauth.refresh(emulator.url, rt), poll=0.05)
        return client(emulator.url, provider, limiter=limiter)

    return SimpleNamespace(
        id=account_id, client_id=client_id, accounts=accounts, store=store, worker_client=worker_client
    )


def _twenty_workers(installed):
    limiter = SlidingWindowLimiter(rate=7)
    with ThreadPoolExecutor(20) as pool:
        return list(pool.map(lambda _: installed.worker_client(limiter).get("/api/v4/account")["id"], range(20)))


def test_20_workers_with_a_token_amocrm_expired_make_exactly_one_refresh(emulator, installed):
    installed.store(expires_at=int(time.time()) + 3600)  # we believe it is valid; amoCRM answers 401
    emulator.control.expire_tokens(installed.id)
    assert _twenty_workers(installed) == [installed.id] * 20
    assert emulator.control.stats(installed.id)["refreshes"] == 1
    assert installed.accounts.get(installed.id).tokens.version == 2


def test_20_workers_with_a_token_past_its_expiry_make_exactly_one_refresh(emulator, installed):
    installed.store(expires_at=int(time.time()) - 10)
    assert _twenty_workers(installed) == [installed.id] * 20
    stats = emulator.control.stats(installed.id)
    assert stats["refreshes"] == 1
    assert stats["by_status"].get("401", 0) == 0  # refreshed before sending, not after a failure


def test_revoked_refresh_token_marks_reinstall_and_does_not_loop(emulator, installed):
    installed.store(expires_at=int(time.time()) + 3600)
    emulator.control.uninstall(installed.id, installed.client_id)
    api = installed.worker_client(SlidingWindowLimiter())
    with pytest.raises(ReinstallRequired, match="reinstalled"):
        api.get("/api/v4/account")
    assert installed.accounts.get(installed.id).status is AccountStatus.REINSTALL_REQUIRED
    with pytest.raises(ReinstallRequired):
        api.get("/api/v4/account")
    stats = emulator.control.stats(installed.id)
    assert stats["api_total"] == 1  # one 401, one refresh attempt, then nothing more reaches amoCRM


def test_a_401_on_a_pair_another_instance_stored_gets_one_real_refresh(emulator, installed):
    """Our cached token is refused; the stored pair another instance wrote meanwhile is refused too
    (amoCRM's clock ran past it): the client adopts it once, then refreshes for real, and succeeds."""
    installed.store(expires_at=int(time.time()) + 3600)
    api = installed.worker_client(SlidingWindowLimiter())
    assert api.get("/api/v4/account")["id"] == installed.id  # this instance caches the first pair
    other = emulator.control.issue_tokens(installed.id, installed.client_id)  # another instance's new pair
    installed.accounts.record_install(
        account_id=installed.id,
        subdomain="r",
        domain="r.amocrm.ru",
        tokens=TokenPair(
            access_token=other["access_token"],
            refresh_token=other["refresh_token"],
            expires_at=int(time.time()) + 3600,
        ),
        trial_days=14,
    )
    emulator.control.expire_tokens(installed.id)  # both pairs' access tokens are now refused by amoCRM
    before = emulator.control.stats(installed.id)
    assert api.get("/api/v4/account")["id"] == installed.id
    after = emulator.control.stats(installed.id)
    assert after["refreshes"] - before["refreshes"] == 1  # the adopted pair first, then one real refresh
    assert after["by_status"].get("401", 0) - before["by_status"].get("401", 0) == 2  # cached, then adopted
    stored = installed.accounts.get(installed.id).tokens
    assert stored.refresh_token.get_secret_value() != other["refresh_token"]  # the refreshed pair is stored
