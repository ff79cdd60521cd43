"""Who is calling from the widget: a verified one-time token and an installed, licensed account.

The account id comes from the verified token only, never from the request body.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from dealcopy.licence import licence_of
from dealcopy.web.body import parse_body  # noqa: F401 - the handlers' name for it
from dealcopy.web.failures import LicenceExpired, NotInstalled

if TYPE_CHECKING:
    from dealcopy.accounts import Account
    from dealcopy.auth.one_time_token import OneTimeTokens, WidgetCaller
    from dealcopy.storage.accounts import AccountRepository


@dataclass(frozen=True)
class WidgetSession:
    caller: WidgetCaller
    account: Account


def open_session(
    headers: dict[str, str], tokens: OneTimeTokens, accounts: AccountRepository, *, require_licence: bool
) -> WidgetSession:
    caller = tokens.authenticate(headers.get("x-auth-token"))
    account = accounts.get(caller.account_id)
    if account is None or not account.is_active:
        raise NotInstalled()
    if require_licence and not licence_of(account).active():
        raise LicenceExpired()
    return WidgetSession(caller, account)


def followed_session(
    headers: dict[str, str], tokens: OneTimeTokens, accounts: AccountRepository, *, require_licence: bool
) -> WidgetSession:
    """`open_session`, and a verified one-time token names the account's current host: a renamed
    subdomain is followed (`hosts.follow_issuer`) before the route uses the account."""
    from dealcopy.hosts import follow_issuer

    session = open_session(headers, tokens, accounts, require_licence=require_licence)
    followed = follow_issuer(accounts, session.account, session.caller.issuer, session.caller.subdomain)
    return session if followed is session.account else replace(session, account=followed)
