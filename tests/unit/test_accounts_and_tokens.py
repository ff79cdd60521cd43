"""Accounts table semantics and the token provider's refresh rules (moto in-process)."""

import time

import pytest

from dealcopy.accounts import AccountStatus
from dealcopy.amo.errors import ReinstallRequired
from dealcopy.amo.oauth import OAuthGrantRejected, TokenPair
from dealcopy.storage.accounts import AccountRepository
from dealcopy.storage.claims import ClaimStore
from dealcopy.storage.tokens import DynamoTokenProvider


def _pair(n: int, expires_in: int = 86400) -> TokenPair:
    return TokenPair(access_token=f"access-{n}", refresh_token=f"refresh-{n}", expires_at=int(time.time()) + expires_in)


@pytest.fixture
def accounts(aws):
    return AccountRepository(aws.table("AccountsTable"))


def _install(accounts, pair, now=None):
    return accounts.record_install(
        account_id=30000001, subdomain="demo", domain="demo.amocrm.ru", tokens=pair, trial_days=14, now=now
    )


def test_reinstall_keeps_first_install_and_trial_but_replaces_tokens(accounts):
    first = _install(accounts, _pair(1), now=1_000_000)
    accounts.mark_uninstalled(30000001, now=1_000_100)
    gone = accounts.get(30000001)
    assert gone.status is AccountStatus.UNINSTALLED and gone.tokens is None
    again = _install(accounts, _pair(2), now=2_000_000)
    assert again.status is AccountStatus.ACTIVE
    assert again.first_installed_at == first.first_installed_at == 1_000_000
    assert again.trial_until == 1_000_000 + 14 * 86400
    assert again.installed_at == 2_000_000
    assert again.tokens.access_token.get_secret_value() == "access-2"
    assert "access-2" not in repr(again)  # tokens never show up in logs or reprs


def test_uninstall_of_an_unknown_account_changes_nothing(accounts):
    assert accounts.mark_uninstalled(123) is False
    assert accounts.get(123) is None


def test_refresh_happens_once_and_later_callers_reuse_the_new_token(accounts):
    _install(accounts, _pair(1, expires_in=10))  # inside the 60 s skew: counts as expiring
    calls = []

    def refresher(refresh_token):
        calls.append(refresh_token)
        return _pair(2)

    first = DynamoTokenProvider(accounts, 30000001, refresher)
    second = DynamoTokenProvider(accounts, 30000001, refresher)
    assert first.access_token() == "access-2"
    assert second.access_token() == "access-2"
    assert second.refreshed_after("access-1") == "access-2"
    assert calls == ["refresh-1"]


def test_rejected_refresh_token_marks_the_account_for_reinstall(accounts):
    _install(accounts, _pair(1))

    def refresher(_):
        raise OAuthGrantRejected(400, "Token has been revoked")

    provider = DynamoTokenProvider(accounts, 30000001, refresher)
    with pytest.raises(ReinstallRequired):
        provider.refreshed_after("access-1")
    assert accounts.get(30000001).status is AccountStatus.REINSTALL_REQUIRED
    with pytest.raises(ReinstallRequired):  # no loop, no second call to amoCRM
        provider.access_token()


def test_a_held_lease_makes_others_wait_and_a_failed_refresh_releases_it(accounts):
    _install(accounts, _pair(1))
    assert accounts.acquire_refresh_lock(30000001, "other", "access-1", lease=30)
    assert not accounts.acquire_refresh_lock(30000001, "me", "access-1", lease=30)
    accounts.release_refresh_lock(30000001, "other")

    def failing(_):
        raise TimeoutError("network")

    with pytest.raises(TimeoutError):
        DynamoTokenProvider(accounts, 30000001, failing).refreshed_after("access-1")
    assert accounts.acquire_refresh_lock(30000001, "me", "access-1", lease=30)  # lease was released


def test_waiting_for_someone_elses_lease_gives_up_with_a_clear_error(accounts):
    _install(accounts, _pair(1))
    assert accounts.acquire_refresh_lock(30000001, "stuck", "access-1", lease=60)
    provider = DynamoTokenProvider(accounts, 30000001, lambda _: _pair(9), wait=0.3, poll=0.05)
    with pytest.raises(Exception, match="timed out waiting"):
        provider.refreshed_after("access-1")


def test_claims_are_exclusive_until_released(aws):
    claims = ClaimStore(aws.table("JobsTable"))
    assert claims.claim("oauth-code#x", ttl=60)
    assert not claims.claim("oauth-code#x", ttl=60)
    claims.complete("oauth-code#x", {"account_id": 1})
    assert claims.read("oauth-code#x")["result"] == {"account_id": 1}
    claims.release("oauth-code#x")
    assert claims.claim("oauth-code#x", ttl=60)
