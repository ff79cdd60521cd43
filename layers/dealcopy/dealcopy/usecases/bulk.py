"""Bulk copies: `start_bulk` (record the batch once, queue its jobs) and `bulk_progress`."""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING, Any

from pydantic import Field

from dealcopy.copying.notes import lead_url
from dealcopy.copying.rules import canonical_rule
from dealcopy.fingerprints import body_fingerprint
from dealcopy.jobs import bulk
from dealcopy.usecases.bulk_again import already_copied
from dealcopy.usecases.errors import AlreadyCopied, BatchNotFound, KeyReused
from dealcopy.usecases.requests import AmoId, RuleChoice

if TYPE_CHECKING:
    from dealcopy.accounts import Account
    from dealcopy.auth.one_time_token import WidgetCaller
    from dealcopy.jobs.queue import JobQueue
    from dealcopy.storage.batches import BatchRepository
    from dealcopy.storage.jobs import JobRepository
    from dealcopy.usecases.rules import RuleBook


MAX_LEADS = 250  # a bulk copy's limit (amoCRM's lead list selects at most 250 at a time)


class BulkRequest(RuleChoice):
    """The lead list's mass action: one rule for up to 250 leads."""

    lead_ids: list[AmoId] = Field(min_length=1, max_length=MAX_LEADS)
    confirm_again: bool = False
    """The person saw «already copied N of M» and asked for more copies anyway."""


def start_bulk(
    request: BulkRequest,
    account: Account,
    caller: WidgetCaller,
    *,
    rules: RuleBook,
    batches: BatchRepository,
    queue: JobQueue,
    jobs: JobRepository | None = None,
) -> dict[str, Any]:
    """Record the batch (once per key) and queue its jobs; returns `{batch_id, total}`.

    With `jobs`, a new batch for deals an earlier one with the same rule copied is refused
    (`AlreadyCopied`) unless `request.confirm_again`; a retry of the same key never is.
    """
    rule = rules.runnable(request)
    lead_ids = list(dict.fromkeys(request.lead_ids))
    batch_id = bulk.batch_id_of(account.account_id, request.idempotency_key)
    meta = {
        "batch_id": batch_id,
        "lead_ids": lead_ids,
        "fingerprint": body_fingerprint(request.model_dump(mode="json", exclude={"idempotency_key", "confirm_again"})),
        "rule": canonical_rule(rule),
        "user_id": caller.user_id,
        "created_at": int(time.time()),
    }
    if jobs is not None and not request.confirm_again and batches.get(account.account_id, batch_id) is None:
        made = already_copied(account.account_id, lead_ids, meta["rule"], batches=batches, jobs=jobs)
        if made:
            raise AlreadyCopied(already=len(made), total=len(lead_ids))
    stored = batches.create(account.account_id, batch_id, meta)
    if stored["fingerprint"] != meta["fingerprint"]:
        raise KeyReused()
    # Sent again on a repeated request too (the first may have failed halfway): SQS drops
    # duplicates for 5 minutes, the job records after that.
    queue.send(bulk.messages_for(account.account_id, batch_id, stored["lead_ids"], stored["rule"], stored["user_id"]))
    return {"batch_id": batch_id, "total": len(stored["lead_ids"])}


def bulk_progress(account: Account, batch_id: str, *, batches: BatchRepository, jobs: JobRepository) -> dict[str, Any]:
    meta = batches.get(account.account_id, batch_id) if re.fullmatch(r"[0-9a-f]{32}", batch_id) else None
    if meta is None:
        raise BatchNotFound(batch_id=batch_id)
    summaries = jobs.job_summaries(account.account_id, f"bulk-{batch_id}-")
    return bulk.progress(batch_id, meta["lead_ids"], summaries, lambda copy_id: lead_url(account.domain, copy_id))
