"""Create: plan the queued jobs, then one `POST /leads` per 50 plans between two checkpoints.

Before the request each job is saved `creating` with the attempt's time (so a crash after it
is reconciled, never created blindly again); after it, `created` with its lineage. An answer
amoCRM may or may not have acted on leaves the jobs `creating` for `reconcile`.
"""

from __future__ import annotations

from dealcopy.amo.errors import AmoAmbiguousWrite, AmoUnavailable
from dealcopy.copying.batching import chunked
from dealcopy.copying.creating import CREATE_CHUNK
from dealcopy.copying.errors import CopyError, CopyRejected, SourceNotFound
from dealcopy.jobs.failures import error_of
from dealcopy.jobs.stage_check import confirm_stages
from dealcopy.jobs.work import Run, Work
from dealcopy.records.job import JobState

# A create amoCRM did not confirm (a 504 or timeout) and that did not happen is sent again in bodies of
# this size: a gateway timeout on 50 leads may be the size of the body itself, and a smaller one
# finishes in time (and an uncertain answer again leaves fewer jobs to reconcile).
RESEND_CHUNK = 10


def create(run: Run, works: list[Work]) -> None:
    plan(run, works)
    todo = [w for w in works if w.open and w.in_state(JobState.CREATING) and w.record.attempt_at is None]
    for part in chunked([w for w in todo if not w.resend], CREATE_CHUNK):
        _create_part(run, part)
    for part in chunked([w for w in todo if w.resend], RESEND_CHUNK):
        _create_part(run, part)


def plan(run: Run, works: list[Work]) -> None:
    """Queued jobs get their copy plan (one read of all their sources) and become `creating`."""
    todo = [w for w in works if w.in_state(JobState.QUEUED)]
    if not todo:
        return
    engine = run.live_engine
    for work in todo:
        try:
            assert work.rule is not None
            engine.check_rule(work.rule)
        except CopyError as err:
            work.fail(error_of(err), err)
    todo = [w for w in todo if w.open]
    sources = engine.read_sources([w.record.lead_id for w in todo]) if todo else {}
    confirm_stages(engine.api, todo, sources, engine.known_metadata())  # a DP hook's lead must have entered its stage
    todo = [w for w in todo if w.open]
    for work in todo:
        record = work.record
        try:
            source = sources.get(record.lead_id)
            if source is None:
                raise SourceNotFound(record.lead_id)
            assert work.rule is not None and work.message.actor_user_id is not None
            record.plan = engine.plan(source, work.rule, work.message.actor_user_id, record.job_id)
            record.state = JobState.CREATING
        except CopyError as err:
            work.fail(error_of(err), err)


def _create_part(run: Run, part: list[Work]) -> None:
    now = run.clock()
    for work in part:
        work.record.attempt_at = now
    run.store.checkpoint(run.account_id, records=[w.record for w in part], events=run.events_to_file(part))
    try:
        outcomes = run.live_engine.create([w.record.plan for w in part if w.record.plan is not None])
    except AmoAmbiguousWrite as err:
        for work in part:  # stays `creating` with its attempt time: reconciled before any retry
            work.waiting = error_of(err)
        return
    except AmoUnavailable as err:
        # Every attempt was refused before amoCRM ran it (429/503/connection): nothing exists.
        for work in part:
            work.record.attempt_at = None
            work.retry(error_of(err), err)
        run.store.checkpoint(run.account_id, records=[w.record for w in part])
        return
    run.crash("create.sent")
    created = []
    for work, outcome in zip(part, outcomes, strict=True):
        work.record.attempt_at = None
        if isinstance(outcome, CopyRejected):
            work.fail(error_of(outcome), outcome)
        else:
            work.record.state = JobState.CREATED
            work.record.created = outcome
            created.append(work)
    run.store.checkpoint(
        run.account_id, records=[w.record for w in part], lineage=[w.record.lineage() for w in created]
    )
    run.crash("create.saved")
