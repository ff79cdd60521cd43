"""The keep-alive function's collaborators: every installed account's tokens refreshed long before they expire."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dealcopy.wiring.amo import client_for, limiters, token_provider
from dealcopy.wiring.tables import accounts

if TYPE_CHECKING:
    from dealcopy.accounts import Account
    from dealcopy.usecases.keepalive import KeepAlive


def keep_alive() -> KeepAlive:
    """The scheduled refresh of every installed account's tokens (and its time zone)."""
    from dealcopy.amo.account import read_timezone
    from dealcopy.usecases.keepalive import KeepAlive

    def refresh(account: Account, at: float) -> None:
        limiters().for_account(str(account.account_id)).acquire()  # the token request is one of the 7/s
        current = account.tokens.access_token.get_secret_value() if account.tokens else ""
        token_provider(account).refreshed_after(current, at=at)

    return KeepAlive(accounts(), refresh, lambda account: read_timezone(client_for(account)))
