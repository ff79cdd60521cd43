"""TokenProvider backed by the accounts table, with race-safe refresh.

When many workers see an expired or rejected token at once, exactly one of them
wins the refresh lease and calls amoCRM; the rest poll the table (consistent
reads) until the new pair appears. A refresh token that amoCRM rejects marks the
account `reinstall_required` instead of looping.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable

from dealcopy.accounts import StoredTokens
from dealcopy.amo.errors import AmoTokenError, ReinstallRequired
from dealcopy.amo.oauth import OAuthGrantRejected, TokenPair
from dealcopy.storage.accounts import AccountRepository

Refresher = Callable[[str], TokenPair]


class DynamoTokenProvider:
    def __init__(
        self,
        accounts: AccountRepository,
        account_id: int,
        refresher: Refresher,
        *,
        lease: float = 15.0,
        wait: float = 20.0,
        poll: float = 0.1,
    ) -> None:
        self._accounts = accounts
        self._account_id = account_id
        self._refresher = refresher
        self._lease = lease
        self._wait = wait
        self._poll = poll
        self._owner = uuid.uuid4().hex
        self._cached: StoredTokens | None = None

    def access_token(self) -> str:
        tokens = self._cached or self._load()
        if tokens.expiring(time.time()):
            return self.refreshed_after(tokens.access_token.get_secret_value())
        return tokens.access_token.get_secret_value()

    def refreshed_after(self, rejected: str) -> str:
        give_up = time.monotonic() + self._wait
        while True:
            current = self._load()
            token = current.access_token.get_secret_value()
            if token != rejected and not current.expiring(time.time()):
                return token
            if self._accounts.acquire_refresh_lock(self._account_id, self._owner, token, self._lease):
                return self._refresh_holding_lease(current)
            if time.monotonic() > give_up:
                raise AmoTokenError(f"account {self._account_id}: timed out waiting for a token refresh")
            time.sleep(self._poll * (1 + random.random()))

    def _refresh_holding_lease(self, current: StoredTokens) -> str:
        try:
            pair = self._refresher(current.refresh_token.get_secret_value())
        except OAuthGrantRejected as err:
            self._accounts.mark_reinstall_required(self._account_id)
            self._cached = None
            raise ReinstallRequired(
                f"account {self._account_id}: amoCRM rejected the refresh token; the widget must be reinstalled"
            ) from err
        except BaseException:
            self._accounts.release_refresh_lock(self._account_id, self._owner)
            raise
        if not self._accounts.store_refreshed(self._account_id, self._owner, pair):
            # Our lease expired and someone else refreshed meanwhile; theirs is the pair in the table.
            return self._load().access_token.get_secret_value()
        self._cached = None
        return pair.access_token

    def _load(self) -> StoredTokens:
        account = self._accounts.get(self._account_id, consistent=True)
        if account is None or not account.is_active or account.tokens is None:
            state = account.status.value if account else "not installed"
            raise ReinstallRequired(f"account {self._account_id} is {state}")
        self._cached = account.tokens
        return account.tokens
