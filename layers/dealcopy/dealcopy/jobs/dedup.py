"""Near-duplicate DP events: the same lead, stage and rule within the de-duplication window.

Hook and catch-up compute the same job id for one event; this covers an event time that
differs slightly between the hook and the events API (their equality is an assumption).
"""

from __future__ import annotations

from collections.abc import Sequence

from dealcopy.records.job import FiledEvent, JobRecord


def filed_event(record: JobRecord, window: int) -> FiledEvent | None:
    """The index entry for `record`'s DP event (None for jobs without one)."""
    if record.event is None:
        return None
    ev = record.event
    return FiledEvent(
        lead_id=record.lead_id,
        pipeline_id=ev.pipeline_id,
        status_id=ev.status_id,
        rule_hash=record.rule_hash,
        time=ev.time,
        job_id=record.job_id,
        window=window,
    )


def twin_of(record: JobRecord, filed: Sequence[FiledEvent], window: int) -> str | None:
    """Another job whose event is a near-duplicate of `record`'s, among `filed`."""
    mine = filed_event(record, window)
    if mine is None:
        return None
    for other in filed:
        if other.stage_key == mine.stage_key and other.job_id != mine.job_id and abs(other.time - mine.time) <= window:
            return other.job_id
    return None
