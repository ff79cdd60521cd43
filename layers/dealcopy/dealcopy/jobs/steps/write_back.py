"""Write-back: an admitted DP job whose action is «Обновить исходную сделку» updates the copy's origin.

The origin is the lead the copy was made from, by the lineage the copy's job recorded (read with
the loop guard's prefetch: no extra read). One `PATCH /api/v4/leads/{origin}` per job, then the job
is done. The job went through admission like a copy job: the signature, the replay window, the
de-duplication of a doubled hook (same job id) or a near-duplicate event, and the loop guard (a
write-back is one more automatic step in the copy's chain: by a rule already in the chain, or past
the depth limit, it stops). The PATCH sets fixed values and a fixed stage, so a retry after a
crash between the PATCH and its checkpoint writes the same thing again and changes nothing.
"""

from __future__ import annotations

from dealcopy.amo.errors import AmoNotFound, AmoValidationError
from dealcopy.jobs.failures import job_error
from dealcopy.jobs.work import Ending, Run, Work
from dealcopy.records.job import JobState


def write_back(run: Run, works: list[Work]) -> None:
    todo = [w for w in works if w.open and w.write_back is not None and w.in_state(JobState.QUEUED)]
    if not todo:
        return
    engine = run.live_engine
    done = []
    for work in todo:
        assert work.write_back is not None
        parent = run.pre.lineage.get(work.record.lead_id)
        if parent is None:
            work.end(Ending.STOP, job_error("write-back-no-origin"))
            continue
        origin = parent.source_id
        body = work.write_back.write_back.patch(origin, engine.metadata())
        try:
            engine.api.patch(f"/api/v4/leads/{origin}", body)
        except (AmoNotFound, AmoValidationError) as err:
            code = "write-back-origin-gone" if isinstance(err, AmoNotFound) else "rejected"
            work.fail(job_error(code, lead_id=origin, source_id=origin, details=str(err)), err)
            continue
        run.crash("write_back.sent")
        work.record.state = JobState.DONE
        work.record.result = {"write_back": {"origin_id": origin, "copy_id": work.record.lead_id, **body}}
        done.append(work)
    if done:
        events = run.events_to_file(done)
        run.store.checkpoint(run.account_id, records=[w.record for w in done], events=events)
        run.crash("write_back.saved")
