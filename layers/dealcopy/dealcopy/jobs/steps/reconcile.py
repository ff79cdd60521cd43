"""Reconcile: a create amoCRM did not confirm (`creating` with an attempt time) is settled first.

After `settle_seconds` the engine looks for the lead (`copying.reconcile`): found, the job
adopts it (`created`, with lineage); not found, the attempt is forgotten and `create` sends
it again. A settle longer than the run can wait leaves the jobs for the queue.
"""

from __future__ import annotations

from dealcopy.copying.creating import CreatedCopy
from dealcopy.jobs.failures import job_error
from dealcopy.jobs.work import Run, Work
from dealcopy.records.job import JobState


def reconcile(run: Run, works: list[Work]) -> None:
    uncertain = [w for w in works if w.in_state(JobState.CREATING) and w.record.attempt_at is not None]
    for work in uncertain:
        work.waiting = None
    if not uncertain or not _settled(run, uncertain):
        return
    plans = [w.record.plan for w in uncertain if w.record.plan is not None]
    since = min(w.record.attempt_at or 0 for w in uncertain)
    found = run.live_engine.find_made(plans, since, lambda ids: run.store.claimed(run.account_id, ids))
    adopted = []
    for work in uncertain:
        record = work.record
        lead_id = found.get(record.plan.request_id) if record.plan else None
        record.attempt_at = None  # settled: either it exists, or it never will
        if lead_id is not None:
            record.state = JobState.CREATED
            record.created = CreatedCopy(plan=record.plan, lead_id=lead_id)
            adopted.append(work)
        else:
            work.resend = True
    run.store.checkpoint(
        run.account_id, records=[w.record for w in uncertain], lineage=[w.record.lineage() for w in adopted]
    )


def _settled(run: Run, uncertain: list[Work]) -> bool:
    """Wait inline for the newest attempt to settle, or leave the jobs for a later delivery."""
    newest = max(w.record.attempt_at or 0 for w in uncertain)
    wait = newest + run.policy.settle_seconds - run.clock()
    if wait <= 0:
        return True
    if wait > run.policy.inline_settle_max or wait > run.time_left() - run.policy.settle_reserve:
        for work in uncertain:
            work.retry(job_error("amocrm_uncertain", key="amocrm_settling"))
        return False
    run.sleep(wait)
    return True
