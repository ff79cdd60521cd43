"""`copy_lead`: a manual copy requested from the lead card: one copy job, run inside the request.

The job goes through the same steps as every queued copy (`jobs.steps`: admit, plan and create,
reconcile, link, notes), with the same record and checkpoints in the jobs table; only its
sequencing is its own, because a person waits for the answer:

- one job per idempotency key (`manual_job_id`); its record keeps the request's fingerprint,
  so the same key with another body is refused and a retry finishes the lead the first call
  made (links, notes) or, when the create's answer was lost (a timeout, a crash), looks for
  that lead before it would ever create again;
- a copy that fails before anything exists answers the copy's own error (400/403/404/422)
  and leaves no record, so a retry starts afresh; a failure after the create answers 503
  `copy-unfinished` naming the key; a copy that would outlive API Gateway's deadline stops
  between steps with 202 `copy-pending` (`copy_lead_deadline`);
- no failure notes on the source and no DLQ: the answer says what went wrong.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dealcopy.amo.errors import AmoError, AmoRateLimited, AmoServerError, AmoTokenError, AmoUnavailable
from dealcopy.copying.errors import CopyError
from dealcopy.copying.rules import canonical_rule, rule_hash
from dealcopy.fingerprints import body_fingerprint, digest
from dealcopy.jobs.failures import error_of
from dealcopy.jobs.steps.admit import admit
from dealcopy.jobs.steps.create import create, plan
from dealcopy.jobs.steps.follow_up import link, write_notes
from dealcopy.jobs.steps.reconcile import reconcile
from dealcopy.jobs.work import JobPolicy, Run, Work
from dealcopy.observability import logger
from dealcopy.records.job import Activity, JobMessage, JobRecord, JobRef, JobState
from dealcopy.usecases.errors import CopyUnfinished, KeyReused

if TYPE_CHECKING:
    from dealcopy.accounts import Account
    from dealcopy.copying.engine import CopyEngine
    from dealcopy.jobs.seams import Seams
    from dealcopy.records.ports import RunStorage
    from dealcopy.usecases.copy_lead_deadline import Deadline
    from dealcopy.usecases.requests import CopyRequest
    from dealcopy.usecases.rules import RuleBook

UNFINISHED_RETRY_AFTER = 5  # seconds the widget waits before it finishes a copy amoCRM failed for now
CRASH_AFTER_CREATE = "manual.create.sent"  # the test seam: amoCRM made the lead, the checkpoint is not saved
NOT_CREATED = "amoCRM did not create the copy (checked after a timeout); a retry is safe"


def manual_job_id(account_id: int, key: str) -> str:
    """The job of one idempotency key of one account (keys are the caller's, so the account is part of it)."""
    return "manual-" + digest(account_id, "manual", key, length=40)


@dataclass(eq=False)
class ManualCopier:
    """Runs one manual copy of an account as a job, at most one lead per idempotency key."""

    run: Run  # the account's run: engine, job store, settle policy, seams; `time_left` is the deadline's
    deadline: Deadline

    @classmethod
    def of(
        cls,
        account: Account,
        engine: CopyEngine,
        store: RunStorage,
        deadline: Deadline,
        *,
        settle: float,
        seams: Seams | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> ManualCopier:
        """The account's manual copier: the deadline, not the worker's inline limit, decides how long
        a create may settle before it is looked for."""
        policy = JobPolicy(settle_seconds=settle, inline_settle_max=float("inf"), settle_reserve=0.0)
        run = Run(
            account_id=account.account_id,
            account=account,
            engine=engine,
            store=store,
            policy=policy,
            dead_letter=_never_dead_lettered,
            seams=seams,
            sleep=sleep,
            time_left=deadline.left,
            crash_prefix="manual.",
        )
        return cls(run, deadline)

    def copy(self, request: CopyRequest, rules: RuleBook, actor_user_id: int) -> dict[str, Any]:
        key, mark = request.idempotency_key, body_fingerprint(request.model_dump(mode="json"))
        job_id = manual_job_id(self.run.account_id, key)
        work = self._stored(job_id, request.lead_id)
        if work is not None and work.record.request_mark != mark:
            raise KeyReused()
        if work is not None and work.record.state is JobState.DONE and work.record.result is not None:
            return work.record.result  # finished before; its answer was lost on the way
        try:
            if work is None:
                work = self._new(request, rules, actor_user_id, job_id, mark)
            self._advance(work, key)
        except CopyError as err:
            self._record(Activity.failed(job_id, source_id=request.lead_id, trigger="manual", error=error_of(err)))
            raise
        assert work.record.result is not None
        return work.record.result

    def _stored(self, job_id: str, lead_id: int) -> Work | None:
        """The job an earlier call with this key left (one consistent read), None when there is none."""
        run = self.run
        key = JobRecord(account_id=run.account_id, job_id=job_id, trigger="manual", lead_id=lead_id, rule_hash="")
        run.pre = run.store.prefetch(run.account_id, [key], (), (), run.policy.dedup_window)
        record = run.pre.jobs.get(job_id)
        if record is None:
            return None
        # Past admission a job needs its record only: the message names it (the rule is in the plan).
        refs = [JobRef(job_id=job_id, lead_id=record.lead_id)]
        return Work(record, JobMessage(account_id=run.account_id, trigger="manual", rule="", rule_hash="", jobs=refs))

    def _new(self, request: CopyRequest, rules: RuleBook, actor: int, job_id: str, mark: str) -> Work:
        """A fresh job for the request's rule (resolved and checked once; nothing is stored yet)."""
        canonical = canonical_rule(rules.runnable(request))
        message = JobMessage(
            account_id=self.run.account_id,
            trigger="manual",
            origin="widget",
            rule=canonical,
            rule_hash=rule_hash(canonical),
            actor_user_id=actor,
            jobs=[JobRef(job_id=job_id, lead_id=request.lead_id)],
        )
        record = JobRecord(
            account_id=self.run.account_id,
            job_id=job_id,
            trigger="manual",
            origin="widget",
            lead_id=request.lead_id,
            rule_hash=message.rule_hash,
            depth=0,  # a copy a user made starts a new chain: the DP loop guard counts automatic copies only
            request_mark=mark,
        )
        return Work(record, message)

    def _advance(self, work: Work, key: str) -> None:
        """Every step the job still needs, with the deadline checked before each amoCRM request."""
        if work.in_state(JobState.QUEUED):
            self._step(admit, work, key)
            self._step(plan, work, key)
        if work.in_state(JobState.CREATING) and work.record.attempt_at is None:
            self._step(create, work, key)
        if work.in_state(JobState.CREATING):
            self._settle(work, key)
        try:
            if work.in_state(JobState.CREATED):
                self._step(link, work, key)
            if work.in_state(JobState.LINKED):
                self._step(write_notes, work, key)
        except (AmoUnavailable, AmoServerError, AmoRateLimited) as err:
            # Temporary. Blocked, unpaid or revoked propagate as such; the record lets a later retry finish.
            raise self._unfinished(key, work) from err

    def _step(self, step: Any, work: Work, key: str) -> None:
        """One job step on this one job; a verdict it reaches ends the request with its cause."""
        self.deadline.ensure(key, work.record.copy_id)
        try:
            step(self.run, [work])
        except (AmoError, AmoTokenError):
            if step is create and work.record.copy_id is None:  # amoCRM answered the create: nothing was made
                self.run.store.forget(self.run.account_id, work.record.job_id)
            raise
        if work.verdict is None:
            return
        if work.record.copy_id is None:  # nothing exists: the next call with this key starts afresh
            self.run.store.forget(self.run.account_id, work.record.job_id)
        cause = work.verdict.cause
        if cause is not None:
            raise cause
        raise CopyError(work.verdict.error.code)  # pragma: no cover - every verdict of these steps has a cause

    def _settle(self, work: Work, key: str) -> None:
        """A create amoCRM did not confirm: wait for it to settle, then look for its lead (or refuse)."""
        record = work.record
        wait = max(0.0, (record.attempt_at or 0) + self.run.policy.settle_seconds - self.run.clock())
        self.deadline.ensure(key, seconds=wait)  # no time to settle and search: the retry will
        work.waiting = None
        reconcile(self.run, [work])
        if work.in_state(JobState.CREATING):
            self.run.store.forget(self.run.account_id, record.job_id)
            raise AmoUnavailable(NOT_CREATED)
        lead_id = record.copy_id
        logger.info("uncertain create reconciled", extra={"account_id": self.run.account_id, "lead_id": lead_id})

    def _unfinished(self, key: str, work: Work) -> CopyUnfinished:
        lead_id = work.record.copy_id
        self.deadline.ensure(key, lead_id)  # out of time as well: 202 pending says it better
        return CopyUnfinished(idempotency_key=key, lead_id=lead_id, retry_after=UNFINISHED_RETRY_AFTER)

    def _record(self, activity: Activity) -> None:
        """Activity is best effort: it must never turn a failed copy's answer into another error."""
        try:
            self.run.store.checkpoint(self.run.account_id, activity=[activity])
        except Exception:
            logger.warning("could not record the copy's activity", exc_info=True)


def _never_dead_lettered(message: JobMessage) -> None:
    """A manual copy answers its failure to the person who asked: it never goes to the DLQ."""
    raise AssertionError("a manual copy is never dead-lettered")


def copy_lead(request: CopyRequest, actor_user_id: int, *, rules: RuleBook, copier: ManualCopier) -> dict[str, Any]:
    """Copy one lead now (201 with the result); a `CopyError` is recorded and raised."""
    return copier.copy(request, rules, actor_user_id)


__all__ = ["CRASH_AFTER_CREATE", "ManualCopier", "copy_lead", "manual_job_id"]
