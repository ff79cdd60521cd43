"""Runs the copy jobs of one account together, checkpointing after every step.

All jobs of the account in one worker batch share each amoCRM call: one read of every
source, one create per 50 copies, one link call, one notes call (plus one search per target
stage when an uncertain create must be reconciled). The steps are in `jobs.steps` (admit,
reconcile, create, follow-up, finish); this module only sequences them. Between the steps
the job records are written in one batch, so a crash at any point resumes where it stopped.

A job in `creating` is never created again blindly: `reconcile` first looks for its lead.
Transient trouble (amoCRM 429/5xx/timeouts after the client's own retries) leaves the job
where it is, with the error, for the queue to retry; permanent trouble ends it at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from dealcopy.accounts import AccountStatus
from dealcopy.jobs.dedup import filed_event
from dealcopy.jobs.failures import PERMANENT_ACCOUNT, TRANSIENT, error_of, inactive_error, unfinished
from dealcopy.jobs.steps.admit import admit
from dealcopy.jobs.steps.create import create
from dealcopy.jobs.steps.finish import dead_letter, finish
from dealcopy.jobs.steps.follow_up import follow_up
from dealcopy.jobs.steps.reconcile import reconcile
from dealcopy.jobs.steps.write_back import write_back
from dealcopy.jobs.work import Ending, JobPolicy, Run, RunReport, Work
from dealcopy.records.job import JobMessage, JobRecord, JobRef, JobState

Step = Callable[[Run, list[Work]], None]
# An uncertain create is settled and looked for in the next round; a second round covers the
# usual short settle inline (a longer one is left for the queue's next delivery).
CREATE_ROUNDS = 2

__all__ = ["JobPolicy", "JobRunner", "RunReport"]


class JobRunner:
    def __init__(self, run: Run) -> None:
        self.run_ctx = run

    def run(
        self,
        entries: Sequence[tuple[JobMessage, JobRef]],
        last_delivery: set[str] | frozenset[str] = frozenset(),
        backlog: Sequence[tuple[JobMessage, JobRef]] = (),
    ) -> RunReport:
        """Advance every job as far as it goes.

        Jobs in `last_delivery` will not be delivered again by the queue: those that have used up
        their attempts are finished now (failed, with a note and a DLQ record) if they cannot
        complete; the others come back as pending and the worker queues them afresh.
        `backlog` jobs join the run only if no run has touched them yet (a job with a record is
        driven by its own delivery, so its retries keep their backoff), up to the policy's batch size.
        """
        report = RunReport()
        works = self._load(entries, last_delivery, report, backlog)
        if works:
            # No try/finally: a crash (or a bug) must leave the records as the last checkpoint wrote them.
            self._advance(works)
            finish(self.run_ctx, works, report)
        return report

    def _load(
        self,
        entries: Sequence[tuple[JobMessage, JobRef]],
        last_delivery: set[str] | frozenset[str],
        report: RunReport,
        backlog: Sequence[tuple[JobMessage, JobRef]] = (),
    ) -> list[Work]:
        """Each job's record (stored, or new), with one attempt more; finished jobs are only reported."""
        run = self.run_ctx
        delivered = {ref.job_id for _, ref in entries}
        unique = list({ref.job_id: (message, ref) for message, ref in [*entries, *backlog]}.values())
        provisional = [_new_record(message, ref) for message, ref in unique]
        window = run.policy.dedup_window
        events = [e for r in provisional if (e := filed_event(r, window)) is not None]
        dp_rules = {message.rule_hash for message, _ in unique if message.trigger == "dp"}
        run.pre = run.store.prefetch(run.account_id, provisional, events, dp_rules, window)
        works: list[Work] = []
        room = run.policy.batch_size or len(unique)
        for (message, ref), fresh in zip(unique, provisional, strict=True):
            record = run.pre.jobs.get(ref.job_id)
            if ref.job_id not in delivered and (record is not None or len(works) >= room):
                if record is not None:
                    report.elsewhere.add(ref.job_id)
                continue
            if record is not None and record.terminal:
                if record.state is JobState.FAILED and not record.dead_lettered:
                    dead_letter(run, [Work(record, message)], report)  # the DLQ send of a previous run failed
                report.outcomes[ref.job_id] = None
                continue
            record = record or fresh
            record.attempts += 1
            final = ref.job_id in last_delivery and record.attempts >= run.policy.max_attempts
            works.append(Work(record, message, final=final))
        return works

    def _advance(self, works: list[Work]) -> None:
        run = self.run_ctx
        for work in works:
            if work.record.error is not None:  # decided on an earlier run; only its note was missing
                work.fail(work.record.error)
        if run.account is None or not run.account.is_active or run.engine is None:
            # An account that left stops its jobs (no DLQ, no alarm for it); a disconnected one fails them
            # into the DLQ, to re-drive after its re-install.
            left = run.account is None or run.account.status is AccountStatus.UNINSTALLED
            for work in works:
                if work.open:
                    work.end(Ending.STOP if left else Ending.FAIL, inactive_error(run.account))
            return
        if not (self._step(admit, works) and self._step(write_back, works)):
            return
        for _ in range(CREATE_ROUNDS):
            if not (self._step(reconcile, works) and self._step(create, works)):
                return
            if not any(w.open and w.waiting is not None for w in works):
                break
        if not self._step(follow_up, works):
            return
        for work in works:
            if work.open:
                work.retry(work.waiting or unfinished())

    def _step(self, step: Step, works: list[Work]) -> bool:
        """Run one step on the open jobs; False when nothing can go on (no open job, or the account is gone)."""
        active = [w for w in works if w.open]
        if not active:
            return False
        try:
            step(self.run_ctx, active)
        except PERMANENT_ACCOUNT as err:
            for work in active:
                if work.open:
                    work.fail(error_of(err))
            return False
        except TRANSIENT as err:
            for work in active:
                if work.open:
                    work.retry(error_of(err))
        return True


def _new_record(message: JobMessage, ref: JobRef) -> JobRecord:
    return JobRecord(
        account_id=message.account_id,
        job_id=ref.job_id,
        trigger=message.trigger,
        origin=message.origin,
        lead_id=ref.lead_id,
        rule_hash=message.rule_hash,
        batch_id=message.batch_id,
        event=message.event,
    )
