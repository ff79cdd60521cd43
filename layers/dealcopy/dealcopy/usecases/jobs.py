"""Use cases of the queue and the schedule: run a batch of copy jobs, catch up missed DP events."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dealcopy.dp.catchup import CatchUp
    from dealcopy.jobs.worker import CopyWorker
    from dealcopy.storage.claims import ClaimStore


def run_copy_jobs(event: dict[str, Any], context: Any, *, worker: CopyWorker) -> dict[str, Any]:
    """An SQS batch in, the FIFO partial-failure answer out (see `jobs.worker`)."""
    return worker.handle(event, context)


CATCH_UP_LEASE = "catchup-run"


def catch_up_missed(*, catch_up: CatchUp, lease: ClaimStore | None = None, lease_seconds: int = 150) -> dict[str, Any]:
    """Queue the DP events no hook brought; the run's report.

    One run at a time: EventBridge may deliver a tick twice, and overlapping runs would spend the
    accounts' amoCRM budget twice on the same events. The lease outlives the function's timeout,
    so a run that crashed without releasing it holds up at most the next tick.
    """
    if lease is not None and not lease.claim(CATCH_UP_LEASE, ttl=lease_seconds):
        return {"skipped": "another catch-up run holds the lease"}
    try:
        return catch_up.run().as_dict()
    finally:
        if lease is not None:
            lease.release(CATCH_UP_LEASE)
