"""Follow-up writes of created copies: catalog links (`linked`), then the notes (`done` + activity).

One request each for the whole run; a copy whose links or notes amoCRM refuses still
carries on (the refusal is reported in its result).
"""

from __future__ import annotations

from dealcopy.jobs.work import Run, Work
from dealcopy.records.job import Activity, JobState


def follow_up(run: Run, works: list[Work]) -> None:
    link(run, works)
    write_notes(run, works)


def link(run: Run, works: list[Work]) -> None:
    todo = [w for w in works if w.open and w.in_state(JobState.CREATED) and w.record.created is not None]
    if not todo:
        return
    linked = run.live_engine.link([w.record.created for w in todo if w.record.created is not None])
    run.crash("link.sent")
    for work, created in zip(todo, linked, strict=True):
        work.record.created = created
        work.record.state = JobState.LINKED
    run.store.checkpoint(run.account_id, records=[w.record for w in todo])
    run.crash("link.saved")


def write_notes(run: Run, works: list[Work]) -> None:
    todo = [w for w in works if w.open and w.in_state(JobState.LINKED) and w.record.created is not None]
    if not todo:
        return
    engine = run.live_engine
    noted = engine.write_notes([w.record.created for w in todo if w.record.created is not None])
    run.crash("notes.sent")
    activity = []
    for work, created in zip(todo, noted, strict=True):
        record = work.record
        record.created = created
        record.state = JobState.DONE
        result = engine.result(created)
        record.result = result.model_dump(mode="json")
        activity.append(
            Activity.made(
                record.job_id, source_id=record.lead_id, lead_id=result.lead_id, url=result.url, trigger=record.trigger
            )
        )
    run.store.checkpoint(run.account_id, records=[w.record for w in todo], activity=activity)
