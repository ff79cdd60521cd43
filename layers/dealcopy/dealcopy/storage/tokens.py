"""TokenProvider backed by the accounts table, with race-safe refresh that never locks out a healthy account.

When many workers see an expired or rejected token at once, exactly one of them
wins the refresh lease and calls amoCRM; the rest poll the table (consistent
reads) until the new pair appears.
- The lease is renewed while the refresh runs, so no second refresher can start
  (and burn the refresh token) while the first may still finish; the refresh
  itself gives up after `deadline` and the renewals stop with it.
- Only a definite OAuth refusal marks the account `reinstall_required`, and only
  if the refused refresh token is still the stored one, of the same generation,
  and the lease is still ours; otherwise the stored pair is re-read and used.
- 403, 429, 5xx and timeouts from the token endpoint are `RefreshUnavailable`.
"""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections.abc import Callable

from dealcopy.accounts import StoredTokens
from dealcopy.amo.errors import AmoUnavailable, ReinstallRequired
from dealcopy.amo.oauth import OAuthGrantRejected, TokenPair
from dealcopy.amo.tokens import RefreshUnavailable
from dealcopy.storage.accounts import AccountRepository

Refresher = Callable[[str], TokenPair]


class LeaseKeeper:
    """Renews a lease every `lease / 3` seconds until stopped, the renewal fails, or `until` passes."""

    def __init__(self, renew: Callable[[], bool], lease: float, until: float) -> None:
        self._renew = renew
        self._every = max(lease / 3, 0.05)
        self._until = until
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="refresh-lease", daemon=True)

    def __enter__(self) -> LeaseKeeper:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.wait(self._every) and time.monotonic() < self._until:
            try:
                renewed = self._renew()
            except Exception:  # a failed renewal must not kill the refresh; the next one may pass
                renewed = True
            if not renewed:
                return  # the lease is no longer ours (re-install, uninstall): our store will fail too


class DynamoTokenProvider:
    def __init__(
        self,
        accounts: AccountRepository,
        account_id: int,
        refresher: Refresher,
        *,
        lease: float = 30.0,
        deadline: float = 20.0,
        wait: float = 20.0,
        poll: float = 0.1,
        on_refused: Callable[[int], None] | None = None,
    ) -> None:
        self._accounts = accounts
        self._account_id = account_id
        self._refresher = refresher
        self._lease = lease
        self._deadline = deadline
        self._wait = wait
        self._poll = poll
        self._cached: StoredTokens | None = None
        self._on_refused = on_refused  # counts a disconnection (the `RefreshRefused` metric)

    def access_token(self) -> str:
        tokens = self._cached or self._load()
        if tokens.expiring(time.time()):
            return self.refreshed_after(tokens.access_token.get_secret_value())
        return tokens.access_token.get_secret_value()

    def refreshed_after(self, rejected: str, *, at: float | None = None) -> str:
        """A token newer than `rejected`; `at` stamps a refresh made here (the keep-alive's scheduled time)."""
        give_up = time.monotonic() + self._wait
        while True:
            current = self._load()
            token = current.access_token.get_secret_value()
            if token != rejected and not current.expiring(time.time()):
                return token
            owner = uuid.uuid4().hex  # per refresh, so even two threads of one process never share a lease
            if self._accounts.acquire_refresh_lock(self._account_id, owner, token, self._lease):
                return self._refresh_holding_lease(current, owner, at)
            if time.monotonic() > give_up:
                raise RefreshUnavailable(f"account {self._account_id}: another instance's token refresh is unfinished")
            time.sleep(self._poll * (1 + random.random()))

    def _refresh_holding_lease(self, current: StoredTokens, owner: str, at: float | None = None) -> str:
        refused = current.refresh_token.get_secret_value()
        renew = lambda: self._accounts.renew_refresh_lock(self._account_id, owner, self._lease)  # noqa: E731
        try:
            with LeaseKeeper(renew, self._lease, time.monotonic() + self._deadline):
                pair = self._refresher(refused)
        except OAuthGrantRejected as err:
            return self._after_refusal(refused, current.version, owner, err)
        except AmoUnavailable as err:
            self._accounts.release_refresh_lock(self._account_id, owner)
            raise RefreshUnavailable(f"account {self._account_id}: token refresh failed: {err.reason}", 1, err) from err
        except BaseException:
            self._accounts.release_refresh_lock(self._account_id, owner)
            raise
        self._cached = None
        if not self._accounts.store_refreshed(self._account_id, owner, pair, current.version, at=at):
            # A re-install, an uninstall or another refresher came first: the table holds the latest state.
            return self._load().access_token.get_secret_value()
        return pair.access_token

    def _after_refusal(self, refused: str, version: int, owner: str, err: OAuthGrantRejected) -> str:
        self._cached = None
        if self._accounts.mark_reinstall_required(self._account_id, owner, refused, version, err.detail):
            if self._on_refused is not None:
                self._on_refused(self._account_id)
            raise ReinstallRequired(
                f"account {self._account_id}: amoCRM rejected the refresh token; the widget must be reinstalled"
            ) from err
        # The stored pair changed under us (refresh, re-install) or the lease passed on: use what is stored.
        self._accounts.release_refresh_lock(self._account_id, owner)
        current = self._load()
        if current.refresh_token.get_secret_value() == refused:
            raise RefreshUnavailable(f"account {self._account_id}: the refresh lease passed on mid-refresh", 1, err)
        return current.access_token.get_secret_value()

    def _load(self) -> StoredTokens:
        account = self._accounts.get(self._account_id, consistent=True)
        if account is None or not account.is_active or account.tokens is None:
            state = account.status.value if account else "not installed"
            raise ReinstallRequired(f"account {self._account_id} is {state}")
        self._cached = account.tokens
        return account.tokens
