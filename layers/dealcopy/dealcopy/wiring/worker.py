"""The worker's and the catch-up's collaborators (the DP hook and bulk copies only queue)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from dealcopy.config import settings
from dealcopy.wiring.amo import client_for, copy_engine
from dealcopy.wiring.schedules import schedule_fires
from dealcopy.wiring.tables import (
    account_of,
    dp_rules,
    job_backlog,
    job_queue,
    job_records,
    run_store,
    seams,
    signatures,
)

if TYPE_CHECKING:
    from dealcopy.dp.catchup import CatchUp
    from dealcopy.jobs.work import JobPolicy
    from dealcopy.jobs.worker import CopyWorker


def job_policy() -> JobPolicy:
    from dealcopy.jobs.work import JobPolicy

    cfg = settings()
    return JobPolicy(
        max_attempts=cfg.job_max_attempts,
        settle_seconds=cfg.job_settle_seconds,
        max_depth=cfg.dp_max_depth,
        dedup_window=cfg.dp_dedup_window,
        batch_size=cfg.job_batch_size,
        gather_seconds=cfg.job_gather_seconds,
    )


@cache
def copy_worker() -> CopyWorker:
    """The SQS worker with its collaborators (one per process)."""
    from dealcopy.jobs.worker import CopyWorker

    cfg = settings()
    return CopyWorker(
        store=run_store(),
        queue=job_queue(),
        account_of=account_of,
        engine_for=copy_engine,
        policy=job_policy(),
        seams=seams() if cfg.test_seams else None,
        retry_base_seconds=cfg.job_retry_base_seconds,
        fires=schedule_fires() if cfg.schedule_group else None,
        backlog=job_backlog() if cfg.job_batch_size else None,
    )


def catch_up() -> CatchUp:
    from dealcopy.dp.catchup import CatchUp

    cfg = settings()
    return CatchUp(
        rules=dp_rules(),
        jobs=job_records(),
        queue=job_queue(),
        account_of=account_of,
        client_for=client_for,
        signatures=signatures(),
        grace=cfg.catchup_grace_seconds,
        overlap=cfg.catchup_overlap_seconds,
    )
