"""`copy_lead`: a manual copy requested from the lead card, recorded in the activity log.

One lead per idempotency key, whatever fails after the create. The copy checkpoints under
its key (`storage.manual_copies`) the plan before the create, the lead right after it, and
the answer at the end; a retry with the same key reads the checkpoint and finishes that lead
(links, notes) or, when the create's answer was lost (a timeout, a crash), looks for the lead
with the DP jobs' search (`copying.reconcile`) before it would ever create again. A failure
after the create answers 503 `copy-unfinished` naming the key, and a copy that would outlive
API Gateway's deadline stops between steps with 202 `copy-pending` (`copy_lead_deadline`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dealcopy.amo.errors import AmoAmbiguousWrite, AmoError, AmoRateLimited, AmoServerError, AmoUnavailable
from dealcopy.copying.creating import CreatedCopy
from dealcopy.copying.errors import CopyError, CopyRejected
from dealcopy.fingerprints import body_fingerprint
from dealcopy.observability import logger
from dealcopy.records.job import Activity, JobError, Lineage
from dealcopy.storage.manual_copies import ManualCheckpoint
from dealcopy.usecases.errors import CopyUnfinished, KeyReused

if TYPE_CHECKING:
    from collections.abc import Callable

    from dealcopy.copying.engine import CopyEngine
    from dealcopy.copying.plan import CopyPlan
    from dealcopy.copying.result import CopyResult
    from dealcopy.storage.manual_copies import ManualCheckpoints
    from dealcopy.storage.runs import RunStore
    from dealcopy.usecases.copy_lead_deadline import Deadline
    from dealcopy.usecases.requests import CopyRequest
    from dealcopy.usecases.rules import RuleBook

UNFINISHED_RETRY_AFTER = 5  # seconds the widget waits before it finishes a copy amoCRM failed for now
CRASH_AFTER_CREATE = "manual.create.sent"  # the test seam: amoCRM made the lead, the checkpoint is not saved


def _no_crash(point: str) -> None:
    """The crash seam of every real deployment: nothing."""


@dataclass
class ManualCopier:
    """Runs one manual copy for an account, at most one lead per idempotency key, and records it."""

    engine: CopyEngine
    store: RunStore
    checkpoints: ManualCheckpoints
    account_id: int
    deadline: Deadline
    settle: float = 3.0
    sleep: Callable[[float], None] = field(default=time.sleep)
    crash: Callable[[str], None] = field(default=_no_crash)

    def run(self, request: CopyRequest, rules: RuleBook, actor_user_id: int) -> dict[str, Any]:
        key, mark = request.idempotency_key, body_fingerprint(request.model_dump(mode="json"))
        saved = self.checkpoints.get(self.account_id, key)
        if saved is not None and saved.fingerprint != mark:
            raise KeyReused()
        if saved is not None and saved.result is not None:
            return saved.result  # finished before; its answer was lost on the way
        try:
            created = self._resume(saved, key) if saved is not None else None
            if created is None:
                plan = saved.plan if saved is not None else None
                created = self._create(request, rules, actor_user_id, key, mark, plan)
            result = self._finish(created, key, mark)
        except CopyError as err:
            self._record(_failure(request.lead_id, err))
            raise
        self._record(_made(result))
        return result.model_dump(mode="json")

    def _resume(self, saved: ManualCheckpoint, key: str) -> CreatedCopy | None:
        """The lead an earlier call with this key made (None: it made none, create it)."""
        if saved.created is not None:
            return saved.created
        if saved.plan is None or saved.attempted_at is None:
            return None
        return self._reconcile(saved.plan, saved.attempted_at, key, saved.fingerprint)

    def _create(
        self, request: CopyRequest, rules: RuleBook, actor: int, key: str, mark: str, plan: CopyPlan | None
    ) -> CreatedCopy:
        """Plan (unless a checkpoint kept the plan), checkpoint the attempt, create, checkpoint the lead."""
        self.deadline.ensure(key)
        if plan is None:
            rule = rules.resolve(request)
            self.engine.check_rule(rule)
            plan = self.engine.plan(self.engine.read_source(request.lead_id), rule, actor)
            self.deadline.ensure(key)
        attempted = time.time()
        attempt = ManualCheckpoint(fingerprint=mark, plan=plan, attempted_at=attempted)
        self.checkpoints.save(self.account_id, key, attempt)
        try:
            (outcome,) = self.engine.create([plan])
        except AmoAmbiguousWrite as err:
            adopted = self._reconcile(plan, attempted, key, mark)
            if adopted is None:
                reason = "amoCRM did not create the copy (checked after a timeout); a retry is safe"
                raise AmoUnavailable(reason) from err
            return adopted
        except (AmoUnavailable, AmoError):  # refused before amoCRM ran it (429/503) or outright: nothing exists
            self.checkpoints.forget(self.account_id, key)
            raise
        if isinstance(outcome, CopyRejected):
            self.checkpoints.forget(self.account_id, key)
            raise outcome
        self.crash(CRASH_AFTER_CREATE)
        self._save(key, mark, outcome, lineage=True)
        return outcome

    def _reconcile(self, plan: CopyPlan, attempted: float, key: str, mark: str) -> CreatedCopy | None:
        """The lead an unanswered create made, found once the attempt settled; None (and no checkpoint) if none."""
        wait = max(0.0, attempted + self.settle - time.time())
        self.deadline.ensure(key, seconds=wait)  # no time to settle and search: the retry will
        if wait:
            self.sleep(wait)
        found = self.engine.find_made([plan], attempted, lambda ids: self.store.claimed(self.account_id, ids))
        lead_id = found.get(plan.request_id)
        if lead_id is None:
            self.checkpoints.forget(self.account_id, key)
            return None
        logger.info("uncertain create reconciled", extra={"account_id": self.account_id, "lead_id": lead_id})
        created = CreatedCopy(plan=plan, lead_id=lead_id)
        self._save(key, mark, created, lineage=True)
        return created

    def _finish(self, created: CreatedCopy, key: str, mark: str) -> CopyResult:
        """Links, then notes, each unless done before; a temporary failure is `CopyUnfinished`."""
        try:
            if created.links_written is None:
                self.deadline.ensure(key, created.lead_id)
                (created,) = self.engine.link([created])
                if created.plan.catalog_links:
                    self._save(key, mark, created)
            if created.notes_written is None:
                self.deadline.ensure(key, created.lead_id)
                (created,) = self.engine.write_notes([created])
        except (AmoUnavailable, AmoServerError, AmoRateLimited) as err:
            # Temporary. Blocked, unpaid or revoked propagate as such; the checkpoint lets a later retry finish.
            raise self._unfinished(key, created) from err
        result = self.engine.result(created)
        self._save(key, mark, created, result=result.model_dump(mode="json"))
        return result

    def _unfinished(self, key: str, created: CreatedCopy) -> CopyUnfinished:
        self.deadline.ensure(key, created.lead_id)  # out of time as well: 202 pending says it better
        data = {"idempotency_key": key, "lead_id": created.lead_id, "retry_after": UNFINISHED_RETRY_AFTER}
        return CopyUnfinished(**data)

    def _save(
        self, key: str, mark: str, created: CreatedCopy, *, lineage: bool = False, result: dict[str, Any] | None = None
    ) -> None:
        if result is not None:  # finished: a retry only needs the answer; the plan (field values) is dropped
            checkpoint = ManualCheckpoint(fingerprint=mark, result=result)
        else:
            checkpoint = ManualCheckpoint(fingerprint=mark, plan=created.plan, created=created)
        self.checkpoints.save(self.account_id, key, checkpoint, _lineage(created) if lineage else None)

    def _record(self, activity: Activity) -> None:
        """Activity is best effort: it must never turn a made copy into an error (and a retry)."""
        try:
            self.store.checkpoint(self.account_id, activity=[activity])
        except Exception:
            logger.warning("could not record the copy's activity", exc_info=True)


def _made(result: CopyResult) -> Activity:
    job_id = f"manual-{result.lead_id}"
    return Activity.made(job_id, source_id=result.source_id, lead_id=result.lead_id, url=result.url, trigger="manual")


def _lineage(created: CreatedCopy) -> Lineage:
    """A copy a user made starts a new chain (depth 0): the DP loop guard counts automatic copies only."""
    job_id = f"manual-{created.lead_id}"
    return Lineage(
        lead_id=created.lead_id, source_id=created.plan.source_id, depth=0, chain=[], job_id=job_id, trigger="manual"
    )


def _failure(lead_id: int, err: CopyError) -> Activity:
    error = JobError(code=err.code, message_ru=err.message_ru, message_en=err.message_en)
    return Activity.failed(f"manual-{lead_id}", source_id=lead_id, trigger="manual", error=error)


def copy_lead(request: CopyRequest, actor_user_id: int, *, rules: RuleBook, copier: ManualCopier) -> dict[str, Any]:
    """Copy one lead now (201 with the result); a `CopyError` is recorded and raised."""
    return copier.run(request, rules, actor_user_id)
