"""Bulk copy from the lead list (`llist-1` mass action): up to 250 leads, one rule, one batch id.

The request is answered at once (202): the jobs go to the queue, 50 per message, and the
worker copies them with amoCRM's batch endpoints (one read of up to 250 sources, one create
per 50 copies, one link and one notes call per 250 items), so 250 copies cost about a dozen
requests. The same idempotency key gives the same batch (and never a second copy); the same
key with another body is refused.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from typing import Any

from pydantic import Field, PositiveInt

from dealcopy.copying.rules import CopyRule
from dealcopy.dp.signing import canonical_rule, rule_hash
from dealcopy.jobs.model import JobMessage, JobRef, JobState, bulk_job_id
from dealcopy.manual_copy import RuleChoice
from dealcopy.web.problems import Problem

MAX_LEADS = 250
JOBS_PER_MESSAGE = 50  # one create request's worth (amoCRM recommends <= 50 leads per create)


class BulkRequest(RuleChoice):
    """The lead list's mass action: one rule for up to 250 leads."""

    lead_ids: list[PositiveInt] = Field(min_length=1, max_length=MAX_LEADS)


def batch_id_of(account_id: int, key: str) -> str:
    return hashlib.sha256(f"{account_id}|{key}".encode()).hexdigest()[:32]


def _fingerprint(request: BulkRequest) -> str:
    body = request.model_dump(mode="json", exclude={"idempotency_key"})
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def messages_for(account_id: int, batch_id: str, lead_ids: list[int], rule: str, user_id: int) -> list[JobMessage]:
    digest = rule_hash(rule)
    return [
        JobMessage(
            account_id=account_id,
            trigger="bulk",
            origin="bulk",
            rule=rule,
            rule_hash=digest,
            actor_user_id=user_id,
            batch_id=batch_id,
            jobs=[
                JobRef(job_id=bulk_job_id(batch_id, lead), lead_id=lead) for lead in lead_ids[i : i + JOBS_PER_MESSAGE]
            ],
        )
        for i in range(0, len(lead_ids), JOBS_PER_MESSAGE)
    ]


def start(
    request: BulkRequest, *, account_id: int, user_id: int, rule: CopyRule, store: Any, queue: Any
) -> dict[str, Any]:
    """Record the batch (once per key) and queue its jobs; returns `{batch_id, total}`."""
    lead_ids = list(dict.fromkeys(request.lead_ids))
    batch_id = batch_id_of(account_id, request.idempotency_key)
    canonical = canonical_rule(rule)
    meta = {
        "batch_id": batch_id,
        "lead_ids": lead_ids,
        "fingerprint": _fingerprint(request),
        "rule": canonical,
        "user_id": user_id,
        "created_at": int(time.time()),
    }
    stored = store.create_batch(account_id, batch_id, meta)
    if stored["fingerprint"] != meta["fingerprint"]:
        raise Problem(
            409,
            "key-reused",
            "Ключ повтора уже использован для другого массового копирования.",
            "The idempotency key was already used for a different bulk copy.",
        )
    # Sent again on a repeated request too (the first may have failed halfway): SQS drops
    # duplicates for 5 minutes, the job records after that.
    queue.send(messages_for(account_id, batch_id, stored["lead_ids"], stored["rule"], stored["user_id"]))
    return {"batch_id": batch_id, "total": len(stored["lead_ids"])}


def progress(store: Any, account_id: int, batch_id: str, domain: str) -> dict[str, Any]:
    meta = store.get_batch(account_id, batch_id) if re.fullmatch(r"[0-9a-f]{32}", batch_id) else None
    if meta is None:
        raise Problem(
            404, "batch-not-found", f"Пакет копирования {batch_id} не найден.", f"Bulk copy {batch_id} not found."
        )
    from dealcopy.copying.notes import lead_url

    found = {int(item["lead_id"]): item for item in store.job_summaries(account_id, f"bulk-{batch_id}-")}
    results = []
    for lead_id in meta["lead_ids"]:
        item = found.get(lead_id)
        state = JobState(item["state"]) if item else JobState.QUEUED
        entry: dict[str, Any] = {"lead_id": lead_id, "state": "pending", "copy_id": None, "url": None, "error": None}
        if state is JobState.DONE and item and item.get("copy_id"):
            entry.update(state="done", copy_id=int(item["copy_id"]), url=lead_url(domain, int(item["copy_id"])))
        elif state in (JobState.FAILED, JobState.STOPPED, JobState.DUPLICATE):
            entry["state"] = "failed"
            entry["error"] = json.loads(item["error"]) if item and item.get("error") else None
        results.append(entry)
    counts = {s: sum(1 for r in results if r["state"] == s) for s in ("done", "failed", "pending")}
    return {"batch_id": batch_id, "total": len(results), **counts, "results": results}


__all__ = ["BulkRequest", "batch_id_of", "messages_for", "progress", "start"]
