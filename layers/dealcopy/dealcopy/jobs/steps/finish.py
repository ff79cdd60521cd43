"""Finish: end the jobs that cannot go on, and save every job the run changed but did not checkpoint.

Failed and stopped jobs get a service note on their source (through the engine), their
final record and an activity entry; failed ones go to the DLQ with the reason. Jobs out of
deliveries end as failed with the transient error they waited on; the others are saved
with it (`last_error`) for the queue's next delivery.
"""

from __future__ import annotations

from dealcopy.jobs.failures import NO_NOTE, PERMANENT_ACCOUNT, TRANSIENT, unfinished
from dealcopy.jobs.notes import job_note
from dealcopy.jobs.work import Ending, Run, RunReport, Work
from dealcopy.records.job import Activity, JobRef, JobState


def finish(run: Run, works: list[Work], report: RunReport) -> None:
    ending = [w for w in works if w.verdict is not None and (w.verdict.ending is not Ending.RETRY or w.final)]
    write_failure_notes(run, ending)
    activity = [_end(work) for work in ending]
    waiting = [w for w in works if not w.record.terminal]
    for work in waiting:
        work.record.last_error = work.verdict.error if work.verdict else None
    # Terminal without a checkpoint of their own: duplicates found at admission.
    unsaved = [w for w in works if w.record.terminal and w not in ending and not w.in_state(JobState.DONE)]
    pending = [*unsaved, *ending, *waiting]
    events = run.events_to_file(pending)
    if pending or activity or events:
        run.store.checkpoint(run.account_id, records=[w.record for w in pending], activity=activity, events=events)
    dead_letter(run, [w for w in ending if w.in_state(JobState.FAILED)], report)
    for work in works:
        done = work.record.terminal
        report.outcomes[work.record.job_id] = None if done else (work.verdict.error if work.verdict else unfinished())


def _end(work: Work) -> Activity:
    """The job's final state and error; its activity entry."""
    assert work.verdict is not None
    record, error = work.record, work.verdict.error
    record.error = error
    if work.verdict.ending is Ending.STOP:
        record.state = JobState.STOPPED
    elif record.state is not JobState.FAILED:
        record.failed_from = record.state
        record.state = JobState.FAILED
    return Activity.failed(record.job_id, source_id=record.lead_id, trigger=record.trigger, error=error)


def write_failure_notes(run: Run, ending: list[Work]) -> None:
    """A note on each source saying why no copy came (`note_written` records whether it got there)."""
    if not ending or run.engine is None or run.account is None or not run.account.is_active:
        return
    notes = []
    known = run.engine.known_metadata()  # names in the notes, never a request on a failure path
    for i, work in enumerate(ending):
        assert work.verdict is not None
        error = work.verdict.error
        if error.code in NO_NOTE:
            work.record.note_written = False  # nothing to write on, or no way to write
            continue
        stopped = work.verdict.ending is Ending.STOP
        notes.append((i, [job_note(work.record, error, run.engine.lang, stopped=stopped, metadata=known)]))
    if not notes:
        return
    try:
        refused = run.engine.write_failure_notes(notes)
    except (*TRANSIENT, *PERMANENT_ACCOUNT):
        refused = {i for i, _ in notes}
    for i, _ in notes:
        ending[i].record.note_written = i not in refused


def dead_letter(run: Run, works: list[Work], report: RunReport) -> None:
    """Failed jobs go to the DLQ with why, where operators look (and a re-drive resumes them)."""
    for work in works:
        record = work.record
        error = record.error
        message = work.message.but(
            jobs=[JobRef(job_id=record.job_id, lead_id=record.lead_id)],
            failure={
                "job_id": record.job_id,
                "state": record.failed_from.value if record.failed_from else None,
                "attempts": record.attempts,
                "note_written": record.note_written,
                **(error.model_dump() if error else {}),
            },
        )
        run.dead_letter(message)
        record.dead_lettered = True
        report.dead_letters.append(message)
    if works:
        run.store.checkpoint(run.account_id, records=[w.record for w in works])
