"""The widget routes' collaborators: sessions, rules, presets, the manual copy."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from dealcopy.config import settings
from dealcopy.wiring.amo import client_for, confirms_host, copy_engine
from dealcopy.wiring.tables import accounts, claims, client_secret, presets, run_store, seams

if TYPE_CHECKING:
    from dealcopy.accounts import Account
    from dealcopy.auth.one_time_token import OneTimeTokens
    from dealcopy.usecases.copies import ManualCopier
    from dealcopy.usecases.copy_lead_deadline import Deadline
    from dealcopy.usecases.rules import RuleBook
    from dealcopy.web.session import WidgetSession


@cache
def one_time_tokens() -> OneTimeTokens:
    from dealcopy.auth.one_time_token import OneTimeTokens

    cfg = settings()
    return OneTimeTokens(claims(), client_secret, redirect_uri=cfg.redirect_uri, client_id=cfg.client_id)


def widget_session(
    headers: dict[str, str], *, require_licence: bool = False, allow_disconnected: bool = False
) -> WidgetSession:
    from dealcopy.web.session import followed_session

    return followed_session(
        headers,
        one_time_tokens(),
        accounts(),
        require_licence=require_licence,
        allow_disconnected=allow_disconnected,
        confirm=confirms_host,
    )


def follow_hook(account: Account, subdomain: str | None) -> Account:
    """After a DP hook's signature verified for `account`: the account as stored.

    The hook's `subdomain` is a claim, and confirming it would cost the hook an amoCRM call: the
    worker's first request at the stored host answers 404 after a rename, and its client follows
    amoCRM's own lookup there (`hosts.host_checker`)."""
    return account


def keep_zone(account: Account) -> Account:
    """The account with its time zone read from amoCRM now and stored (unchanged if amoCRM cannot say)."""
    from dealcopy.amo.account import read_timezone
    from dealcopy.usecases.keepalive import keep_timezone

    return keep_timezone(accounts(), lambda a: read_timezone(client_for(a)), account)


def rule_book(account: Account) -> RuleBook:
    """The account's presets and metadata, to resolve and check the rule of a request."""
    from dealcopy.usecases.rules import RuleBook

    return RuleBook(account.account_id, presets(), copy_engine(account))


def manual_copier(account: Account, deadline: Deadline) -> ManualCopier:
    """A manual copy: a job run inside the request, whose amoCRM requests give up in time for its answer."""
    from dealcopy.usecases.copies import ManualCopier

    cfg = settings()
    client = client_for(account)
    client.stop_at = deadline.requests_stop_at()
    crash = seams() if cfg.test_seams else None
    if crash is not None:
        crash.begin()
    engine = copy_engine(account, client)
    return ManualCopier.of(account, engine, run_store(), deadline, settle=cfg.manual_settle_seconds, seams=crash)
