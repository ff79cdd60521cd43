"""Who is calling from the widget: a verified one-time token and an installed, licensed account.

The account id comes from the verified token only, never from the request body.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from dealcopy.accounts import AccountStatus
from dealcopy.licence import licence_of
from dealcopy.web.body import parse_body  # noqa: F401 - the handlers' name for it
from dealcopy.web.failures import LicenceExpired, NotInstalled

if TYPE_CHECKING:
    from collections.abc import Callable

    from dealcopy.accounts import Account
    from dealcopy.auth.one_time_token import OneTimeTokens, WidgetCaller
    from dealcopy.storage.accounts import AccountRepository


@dataclass(frozen=True)
class WidgetSession:
    caller: WidgetCaller
    account: Account


def open_session(
    headers: dict[str, str],
    tokens: OneTimeTokens,
    accounts: AccountRepository,
    *,
    require_licence: bool,
    allow_disconnected: bool = False,
) -> WidgetSession:
    """`allow_disconnected`: an account amoCRM disconnected (reinstall required) still opens its settings."""
    caller = tokens.authenticate(headers.get("x-auth-token"))
    account = accounts.get(caller.account_id)
    disconnected = account is not None and account.status is AccountStatus.REINSTALL_REQUIRED
    if account is None or not (account.is_active or (allow_disconnected and disconnected)):
        raise NotInstalled()
    if require_licence and not licence_of(account).active():
        raise LicenceExpired()
    return WidgetSession(caller, account)


def followed_session(
    headers: dict[str, str],
    tokens: OneTimeTokens,
    accounts: AccountRepository,
    *,
    require_licence: bool,
    allow_disconnected: bool = False,
    confirm: Callable[[Account, str], bool],
) -> WidgetSession:
    """`open_session`, and a verified one-time token names the account's current host: a renamed
    subdomain is followed (`hosts.follow_issuer`) once amoCRM `confirm`s the account there."""
    from dealcopy.hosts import follow_issuer

    session = open_session(
        headers, tokens, accounts, require_licence=require_licence, allow_disconnected=allow_disconnected
    )
    if not session.account.is_active:
        return session  # disconnected: nothing is asked of amoCRM, so no host to follow
    caller = session.caller
    followed = follow_issuer(accounts, session.account, caller.issuer, caller.subdomain, confirm=confirm)
    return session if followed is session.account else replace(session, account=followed)
