"""Accounts table semantics and the token provider's refresh rules (moto in-process)."""

import time

import pytest

from dealcopy.accounts import AccountStatus
from dealcopy.amo.errors import AmoUnavailable, ReinstallRequired
from dealcopy.amo.oauth import OAuthGrantRejected, TokenPair
from dealcopy.amo.tokens import RefreshUnavailable
from dealcopy.observability import metrics
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


def test_the_accounts_country_is_kept_and_an_install_that_does_not_know_it_keeps_the_old(accounts):
    accounts.record_install(
        account_id=30000001, subdomain="demo", domain="demo.amocrm.ru", tokens=_pair(1), trial_days=14, country="BY"
    )
    assert accounts.get(30000001).country == "BY"
    assert _install(accounts, _pair(2)).country == "BY"


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
    metrics.clear_metrics()
    with pytest.raises(ReinstallRequired):
        provider.refreshed_after("access-1")
    assert accounts.get(30000001).status is AccountStatus.REINSTALL_REQUIRED
    assert metrics.metric_set["RefreshRefused"]["Value"] == [1.0]  # what RefreshRefusedAlarm counts
    metrics.clear_metrics()
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
    with pytest.raises(RefreshUnavailable, match="unfinished"):  # temporary: 503 / job retry
        provider.refreshed_after("access-1")


def test_claims_are_exclusive_until_released(aws):
    claims = ClaimStore(aws.table("JobsTable"))
    assert claims.claim("oauth-code#x", ttl=60)
    assert not claims.claim("oauth-code#x", ttl=60)
    claims.complete("oauth-code#x", {"account_id": 1})
    assert claims.read("oauth-code#x")["result"] == {"account_id": 1}
    claims.release("oauth-code#x")
    assert claims.claim("oauth-code#x", ttl=60)


# --- a refresh never locks out a healthy account ---------------------------------------------------


def test_a_blocked_token_endpoint_is_temporary_and_leaves_the_account_active(accounts):
    _install(accounts, _pair(1))

    def blocked(_):
        raise AmoUnavailable("OAuth endpoint answered 403", 1)

    with pytest.raises(RefreshUnavailable):
        DynamoTokenProvider(accounts, 30000001, blocked).refreshed_after("access-1")
    assert accounts.get(30000001).status is AccountStatus.ACTIVE
    assert accounts.acquire_refresh_lock(30000001, "me", "access-1", lease=30)  # lease released


def test_a_refusal_after_someone_else_stored_a_new_pair_uses_that_pair(accounts):
    _install(accounts, _pair(1))

    def refused_while_another_instance_won(_):
        # Our lease lapsed mid-call; another instance refreshed and stored pair 2, burning refresh-1.
        accounts._table.update_item(
            Key={"account_id": 30000001}, UpdateExpression="REMOVE refresh_lock_until, refresh_lock_owner"
        )
        assert accounts.acquire_refresh_lock(30000001, "other", "access-1", lease=30)
        assert accounts.store_refreshed(30000001, "other", _pair(2))
        raise OAuthGrantRejected(400, "Token has been revoked")

    provider = DynamoTokenProvider(accounts, 30000001, refused_while_another_instance_won)
    assert provider.refreshed_after("access-1") == "access-2"
    assert accounts.get(30000001).status is AccountStatus.ACTIVE


def test_a_reinstall_during_a_refresh_wins_over_the_refreshed_pair(accounts):
    _install(accounts, _pair(1))

    def refresh_while_reinstalled(_):
        _install(accounts, _pair(5))  # the admin re-installs while our refresh is in flight
        return _pair(2)

    provider = DynamoTokenProvider(accounts, 30000001, refresh_while_reinstalled)
    assert provider.refreshed_after("access-1") == "access-5"
    assert accounts.get(30000001).tokens.access_token.get_secret_value() == "access-5"


def test_a_reinstall_during_a_refused_refresh_is_not_marked(accounts):
    _install(accounts, _pair(1))

    def refused_while_reinstalled(_):
        _install(accounts, _pair(5))
        raise OAuthGrantRejected(401, "The integration was uninstalled")

    provider = DynamoTokenProvider(accounts, 30000001, refused_while_reinstalled)
    metrics.clear_metrics()
    assert provider.refreshed_after("access-1") == "access-5"
    assert accounts.get(30000001).status is AccountStatus.ACTIVE
    assert "RefreshRefused" not in metrics.metric_set  # nobody was disconnected


def test_an_uninstall_during_a_refresh_stays_uninstalled(accounts):
    _install(accounts, _pair(1))

    def refresh_while_uninstalled(_):
        accounts.mark_uninstalled(30000001)
        return _pair(2)

    with pytest.raises(ReinstallRequired, match="uninstalled"):
        DynamoTokenProvider(accounts, 30000001, refresh_while_uninstalled).refreshed_after("access-1")
    account = accounts.get(30000001)
    assert account.status is AccountStatus.UNINSTALLED and account.tokens is None


def test_the_lease_is_renewed_while_a_slow_refresh_runs(accounts):
    _install(accounts, _pair(1))
    rivals = []

    # A lease of 1 s renewed while a 4 s refresh runs: long enough that a loaded machine (another test
    # worker beside this one) still renews it in time, short enough that four rivals would each find it lapsed.
    def slow(_):
        for _ in range(4):
            time.sleep(1.0)  # 4 s in all, four times the lease
            rivals.append(accounts.acquire_refresh_lock(30000001, "rival", "access-1", lease=1.0))
        return _pair(2)

    provider = DynamoTokenProvider(accounts, 30000001, slow, lease=1.0)
    assert provider.refreshed_after("access-1") == "access-2"
    assert rivals == [False] * 4


def test_a_refusal_disconnects_with_amocrms_reason_counts_once_and_a_reinstall_reconnects(accounts):
    from dealcopy.observability import metrics

    _install(accounts, _pair(1), now=1_000_000)
    metrics.clear_metrics()

    def refresher(_):
        raise OAuthGrantRejected(400, "Token has expired")

    provider = DynamoTokenProvider(accounts, 30000001, refresher)
    with pytest.raises(ReinstallRequired):
        provider.refreshed_after("access-1")
    with pytest.raises(ReinstallRequired):
        provider.refreshed_after("access-1")
    gone = accounts.get(30000001)
    assert (gone.disconnect_reason, gone.status) == ("Token has expired", AccountStatus.REINSTALL_REQUIRED)
    assert abs(gone.disconnected_at - time.time()) < 60
    assert metrics.metric_set["RefreshRefused"]["Value"] == [1.0]  # once, though refused twice
    metrics.clear_metrics()
    again = _install(accounts, _pair(2), now=2_000_000)
    assert (again.disconnect_reason, again.disconnected_at, again.tokens_at) == (None, None, 2_000_000)


def test_a_refresh_stamps_the_pair_with_the_callers_time(accounts):
    """The keep-alive's clock is its schedule's time: the next run measures the pair's age from it."""
    _install(accounts, _pair(1), now=1_000_000)
    provider = DynamoTokenProvider(accounts, 30000001, lambda _: _pair(2))
    assert provider.refreshed_after("access-1", at=1_500_000) == "access-2"
    assert accounts.get(30000001).tokens_at == 1_500_000
    assert [a.account_id for a in accounts.installed()] == [30000001]
    accounts.mark_uninstalled(30000001)
    assert accounts.installed() == []


def test_the_keep_alive_takes_the_oldest_due_pairs_up_to_its_limit_and_keeps_their_zone(accounts):
    from dealcopy.amo.tokens import RefreshUnavailable as Temporary
    from dealcopy.usecases.keepalive import DAY, KeepAlive

    now = 1_000_000_000
    for account_id, age in ((1, 40), (2, 90), (3, 60), (4, 5), (5, 70)):
        accounts.record_install(
            account_id=account_id,
            subdomain=f"a{account_id}",
            domain=f"a{account_id}.amocrm.ru",
            tokens=_pair(account_id),
            trial_days=14,
            now=now - age * DAY,
        )
    refreshed = []

    def refresh(account, at):
        refreshed.append(account.account_id)
        if account.account_id == 5:
            raise Temporary("amoCRM is down")
        if account.account_id == 3:
            raise ReinstallRequired("refused")

    keep = KeepAlive(accounts, refresh, lambda a: "Asia/Yekaterinburg", limit=3)
    report = keep.run(now)
    assert refreshed == [2, 5, 3]  # oldest first, three of the four due (account 4 is 5 days old)
    assert report == {"due": 4, "refreshed": 1, "disconnected": 1, "unavailable": 1}
    assert accounts.get(2).timezone == "Asia/Yekaterinburg" and accounts.get(1).timezone is None
