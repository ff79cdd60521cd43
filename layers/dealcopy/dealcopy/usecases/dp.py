"""Digital Pipeline use cases: `sign_dp_rule` (widget), `accept_hook` (amoCRM's webhook)."""

from __future__ import annotations

from collections.abc import Callable

from dealcopy.accounts import Account
from dealcopy.auth.one_time_token import WidgetCaller
from dealcopy.copying.rules import canonical_rule, rule_hash
from dealcopy.dp.hook import parse_hook
from dealcopy.dp.intake import AccountCache, accept
from dealcopy.dp.signing import sign
from dealcopy.jobs.model import JobMessage
from dealcopy.jobs.queue import JobQueue
from dealcopy.storage.dp_rules import DpRuleRepository
from dealcopy.storage.signatures import SignatureRepository
from dealcopy.usecases.requests import SignRequest
from dealcopy.usecases.rules import RuleBook


def sign_dp_rule(
    account: Account,
    caller: WidgetCaller,
    request: SignRequest,
    *,
    rules: RuleBook,
    signatures: SignatureRepository,
    client_secret: Callable[[], str],
) -> dict[str, str]:
    """Validate a DP rule and sign it for this account; the widget stores both strings in the DP settings.

    Only an admin may (the edge refuses others before it reads the body).
    """
    assert caller.is_admin
    canonical = canonical_rule(rules.strict(request.rule))
    signatures.record(account.account_id, rule_hash(canonical), caller.user_id)
    return {"rule": canonical, "signature": sign(client_secret(), account.account_id, canonical)}


def accept_hook(
    body: str | None,
    content_type: str | None,
    *,
    accounts: AccountCache,
    client_secret: Callable[[], str],
    queue: JobQueue,
    dp_rules: DpRuleRepository,
    follow: Callable[[Account, str | None], object] | None = None,
) -> JobMessage:
    """Parse and check a DP hook, queue its one job; raises a `dp.errors.HookRejected` otherwise.

    `follow(account, subdomain)` runs after the signature verified: a renamed account's new host is stored.
    """
    hook = parse_hook(body, content_type)
    account = accounts.get(hook.account_id)
    message = accept(hook, account, client_secret, queue, dp_rules)
    if follow is not None and account is not None:
        follow(account, hook.subdomain)
    return message
