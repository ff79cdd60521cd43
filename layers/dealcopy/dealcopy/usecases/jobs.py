"""Use cases of the queue and the schedule: run a batch of copy jobs, catch up missed DP events."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dealcopy.dp.catchup import CatchUp
    from dealcopy.jobs.worker import CopyWorker


def run_copy_jobs(event: dict[str, Any], context: Any, *, worker: CopyWorker) -> dict[str, Any]:
    """An SQS batch in, the FIFO partial-failure answer out (see `jobs.worker`)."""
    return worker.handle(event, context)


def catch_up_missed(*, catch_up: CatchUp) -> dict[str, Any]:
    """Queue the DP events no hook brought; the run's report."""
    return catch_up.run().as_dict()
