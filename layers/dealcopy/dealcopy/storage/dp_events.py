"""DP events that have a job (pk `job#{account}`, sk `trig#{lead}#{pipeline}#{status}#{rule}#{bucket}`).

A later event for the same lead, stage and rule within the de-duplication window is the
same event (hook and catch-up may see slightly different times): the worker reads the
event's own bucket and its two neighbours, and `jobs.dedup` decides.
"""

from __future__ import annotations

import time

from dealcopy.records.job import FiledEvent
from dealcopy.storage.dynamo import Item
from dealcopy.storage.jobs import DAY, job_pk

TRIGGER_TTL = 30 * DAY


def _prefix(event: FiledEvent) -> str:
    return f"trig#{event.lead_id}#{event.pipeline_id}#{event.status_id}#{event.rule_hash}#"


def event_item(account_id: int, event: FiledEvent) -> Item:
    return {
        "pk": job_pk(account_id),
        "sk": f"{_prefix(event)}{event.bucket}",
        "job_id": event.job_id,
        "event_time": event.time,
        "expires_at": int(time.time()) + TRIGGER_TTL,
    }


def neighbour_keys(account_id: int, event: FiledEvent) -> list[Item]:
    """The buckets where a near-duplicate of `event` would be filed."""
    prefix = _prefix(event)
    return [
        {"pk": job_pk(account_id), "sk": f"{prefix}{b}"} for b in (event.bucket - 1, event.bucket, event.bucket + 1)
    ]


def event_of(item: Item, window: int) -> FiledEvent:
    _, lead, pipeline, status, rule_hash, _bucket = item["sk"].split("#")
    return FiledEvent(
        lead_id=int(lead),
        pipeline_id=int(pipeline),
        status_id=int(status),
        rule_hash=rule_hash,
        time=int(item.get("event_time", 0)),
        job_id=item["job_id"],
        window=window,
    )
