"""Bulk copy from the lead list (`llist-1` mass action): up to 250 leads, one rule, one batch id.

A request is answered at once (202): the jobs go to the queue, 50 per message, and the
worker copies them with amoCRM's batch endpoints (one read of up to 250 sources, one create
per 50 copies, one link and one notes call per 250 items), so 250 copies cost about a dozen
requests. The same idempotency key gives the same batch (and never a second copy); the same
key with another body is refused. This module holds the pure parts; `usecases.bulk` runs them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from dealcopy.copying.rules import rule_hash
from dealcopy.fingerprints import digest
from dealcopy.records.job import JobMessage, JobRef, JobState, bulk_job_id

JOBS_PER_MESSAGE = 50  # one create request's worth (amoCRM recommends <= 50 leads per create)


def batch_id_of(account_id: int, key: str) -> str:
    return digest(account_id, key, length=32)


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


def progress(
    batch_id: str, lead_ids: list[int], summaries: list[dict[str, Any]], lead_url: Callable[[int], str]
) -> dict[str, Any]:
    """The bulk progress answer from the jobs' stored summaries (`lead_url(copy_id)` makes links)."""
    found = {int(item["lead_id"]): item for item in summaries}
    results = []
    for lead_id in lead_ids:
        item = found.get(lead_id)
        state = JobState(item["state"]) if item else JobState.QUEUED
        entry: dict[str, Any] = {"lead_id": lead_id, "state": "pending", "copy_id": None, "url": None, "error": None}
        if state is JobState.DONE and item and item.get("copy_id"):
            entry.update(state="done", copy_id=int(item["copy_id"]), url=lead_url(int(item["copy_id"])))
        elif state in (JobState.FAILED, JobState.STOPPED, JobState.DUPLICATE):
            entry["state"] = "failed"
            entry["error"] = json.loads(item["error"]) if item and item.get("error") else None
        results.append(entry)
    counts = {s: sum(1 for r in results if r["state"] == s) for s in ("done", "failed", "pending")}
    return {"batch_id": batch_id, "total": len(results), **counts, "results": results}


__all__ = ["batch_id_of", "messages_for", "progress"]
