"""Accepting a DP hook: is the event recent, is the rule ours, which account, then exactly one queued job.

Checks, in order, each with its own answer (nothing is queued unless all pass):
400 malformed / missing or mistyped fields; 422 not a lead (customers: element_type 12);
400 `stale-event`: `event[time]` more than 24 h ago or more than 5 min ahead (a signed rule is
not a password: an old hook replayed later is refused; a hook without a time gets the time we
received it); 401 rule or signature missing, or a signature that does not match the rule for
this account id; 401 the same `bad-signature` answer for an account id with no install (the
signature is checked first and needs only the account id, so nothing tells an installed
account from an unknown one); 410 uninstalled account (or one that must be reinstalled).
A new `subdomain` with a valid signature is a renamed account; the worker follows the rename
when the stored host answers 404 (`dealcopy.hosts.host_checker`).
Whether the lead really entered the stage is the worker's check (`jobs.stage_check`).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from dealcopy.accounts import Account, AccountStatus
from dealcopy.copying.digest import rule_hash
from dealcopy.dp.errors import HookAccountGone, HookStale, HookUnauthorized, HookUnknownAccount
from dealcopy.dp.hook import DpHook
from dealcopy.dp.signing import verified_rule
from dealcopy.jobs.queue import JobQueue
from dealcopy.observability import logger
from dealcopy.records.job_message import DpEvent, JobMessage, JobRef, dp_job_id
from dealcopy.storage.dp_rules import DpRuleRepository


class AccountCache:
    """Installed accounts, remembered for a few seconds: a burst of hooks reads the table once.

    Only found accounts are kept (a fresh install is seen at once); an uninstall reaches a warm
    hook function within `ttl` seconds, and the worker checks the account again anyway.
    """

    def __init__(self, load: Callable[[int], Account | None], ttl: float = 5.0) -> None:
        self._load = load
        self._ttl = ttl
        self._seen: dict[int, tuple[float, Account]] = {}

    def get(self, account_id: int) -> Account | None:
        now = time.monotonic()
        hit = self._seen.get(account_id)
        if hit is not None and now - hit[0] < self._ttl:
            return hit[1]
        account = self._load(account_id)
        if account is not None:
            self._seen[account_id] = (now, account)
        return account


MAX_AGE = 24 * 3600  # an event older than this is not acted on by a hook (the catch-up covers missed ones)
MAX_AHEAD = 5 * 60  # clock skew tolerated for an event time in the future


def check_time(hook: DpHook, now: float) -> None:
    """`HookStale` unless the event happened within the last 24 h (or up to 5 min ahead of our clock)."""
    if not now - MAX_AGE <= hook.event_time <= now + MAX_AHEAD:
        raise HookStale(event_time=hook.event_time)


def check_account(hook: DpHook, account: Account | None) -> Account:
    if account is None:
        logger.info("dp hook for an account without an install", extra={"account_id": hook.account_id})
        raise HookUnknownAccount(account_id=hook.account_id)
    if account.status is not AccountStatus.ACTIVE:
        raise HookAccountGone("uninstalled" if account.status is AccountStatus.UNINSTALLED else "reinstall-required")
    # A `subdomain` other than the stored one is a renamed account, not a foreign one: the rule's
    # signature binds the account id; the worker's client follows the rename (`dealcopy.hosts.host_checker`).
    return account


def verified(hook: DpHook, client_secret: str) -> str:
    """The signed rule string of the hook (`HookUnauthorized` without a valid signature).

    Only we sign rules, and only valid ones (`usecases.signing`), so the hook does not parse the
    rule again: the pydantic rule model loads in the worker, whose admit step fails the job with
    a note if the rule no longer fits (the cold start amoCRM waits on).
    """
    if not hook.rule or not hook.signature:
        raise HookUnauthorized("unsigned")
    rule = verified_rule(client_secret, hook.account_id, hook.rule, hook.signature)
    if rule is None:
        raise HookUnauthorized("bad-signature")
    return rule


def job_message(hook: DpHook, rule: str) -> JobMessage:
    digest = rule_hash(rule)
    job_id = dp_job_id(hook.account_id, hook.lead_id, hook.pipeline_id, hook.status_id, hook.event_time, digest)
    return JobMessage(
        account_id=hook.account_id,
        trigger="dp",
        origin="hook",
        rule=rule,
        rule_hash=digest,
        event=DpEvent(
            pipeline_id=hook.pipeline_id, status_id=hook.status_id, time=hook.event_time, type=hook.event_type
        ),
        jobs=[JobRef(job_id=job_id, lead_id=hook.lead_id)],
    )


Follow = Callable[[Account, str | None], Account]  # a verified hook's subdomain becomes the stored host


def accept(
    hook: DpHook,
    account: Callable[[int], Account | None],
    client_secret: Callable[[], str],
    queue: JobQueue,
    rules: DpRuleRepository,
    follow: Follow | None = None,
) -> JobMessage:
    """Queue the hook's job (once: its de-duplication id is the job id) and remember the rule for the catch-up.

    `account` is called only after the signature verified (a forged hook costs no table read).
    """
    check_time(hook, time.time())
    rule = verified(hook, client_secret())
    known = check_account(hook, account(hook.account_id))
    if follow is not None and hook.subdomain and hook.subdomain.lower() != known.subdomain.lower():
        try:  # a renamed account: its links and API calls move to the new host
            follow(known, hook.subdomain)
        except Exception:
            logger.warning("could not follow the account's new subdomain", exc_info=True)
    message = job_message(hook, rule)
    queue.send([message])
    try:  # the job is queued: bookkeeping for the catch-up must not turn that into an error
        rules.learn(
            account_id=hook.account_id,
            pipeline_id=hook.pipeline_id,
            status_id=hook.status_id,
            rule=rule,
            rule_hash=message.rule_hash,
            event_time=hook.event_time,
        )
    except Exception:
        logger.warning("could not record the DP rule for the catch-up", exc_info=True)
    return message
