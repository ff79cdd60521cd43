"""`accept_hook`: amoCRM's Digital Pipeline webhook, checked and turned into one queued job.

Kept light: the hook function must answer fast on a cold start (no copy engine, no rules
beyond parsing the signed one).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from dealcopy.dp.hook import parse_hook
from dealcopy.dp.intake import accept

if TYPE_CHECKING:
    from dealcopy.dp.intake import AccountCache, Follow
    from dealcopy.jobs.queue import JobQueue
    from dealcopy.records.job_message import JobMessage
    from dealcopy.storage.dp_rules import DpRuleRepository


def accept_hook(
    body: str | None,
    content_type: str | None,
    *,
    accounts: AccountCache,
    client_secret: Callable[[], str],
    queue: JobQueue,
    dp_rules: DpRuleRepository,
    follow: Follow | None = None,
) -> JobMessage:
    """Parse and check a DP hook, queue its one job; raises a `dp.errors.HookRejected` otherwise.

    `follow` moves a renamed account's stored host to the subdomain of a hook that verified.
    """
    hook = parse_hook(body, content_type)
    return accept(hook, accounts.get, client_secret, queue, dp_rules, follow)
