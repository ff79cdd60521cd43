"""`copy_lead`: a manual copy requested from the lead card, recorded in the activity log.

The run never leaves a second copy behind a timeout: when amoCRM may or may not have made
the lead (`AmoAmbiguousWrite`), we wait for the attempt to settle and look for it (the same
search the DP jobs use, `copying.reconcile`). Found: the copy carries on with links and notes.
Not found: it was not made, and the user is told a retry is safe.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dealcopy.amo.errors import AmoUnavailable
from dealcopy.copying.creating import CreatedCopy
from dealcopy.copying.errors import CopyError
from dealcopy.jobs.model import Activity, JobError, Lineage
from dealcopy.observability import logger

if TYPE_CHECKING:
    from collections.abc import Callable

    from dealcopy.copying.engine import CopyEngine
    from dealcopy.copying.plan import CopyPlan
    from dealcopy.copying.result import CopyResult
    from dealcopy.storage.runs import RunStore
    from dealcopy.usecases.requests import CopyRequest
    from dealcopy.usecases.rules import RuleBook


@dataclass
class ManualCopier:
    """Runs one manual copy for an account and records it (activity, and lineage of the copy)."""

    engine: CopyEngine
    store: RunStore
    account_id: int
    settle: float = 3.0
    sleep: Callable[[float], None] = field(default=time.sleep)

    def run(self, request: CopyRequest, rules: RuleBook, actor_user_id: int) -> dict[str, Any]:
        try:
            rule = rules.resolve(request)
            result = self.engine.copy_one(request.lead_id, rule, actor_user_id, adopt=self.adopt)
        except CopyError as err:
            self._record(_failure(request.lead_id, err))
            raise
        self._record(_made(result), _lineage(result))  # once per key: replays return the stored answer
        return result.model_dump(mode="json")

    def adopt(self, plan: CopyPlan, attempted: float) -> CreatedCopy | None:
        """The lead an uncertain create made, found by the DP jobs' search; raises if it was not made."""
        self.sleep(self.settle)
        found = self.engine.find_made([plan], attempted, lambda ids: self.store.claimed(self.account_id, ids))
        lead_id = found.get(plan.request_id)
        if lead_id is None:
            raise AmoUnavailable("amoCRM did not create the copy (checked after a timeout); a retry is safe")
        logger.info("uncertain create reconciled", extra={"account_id": self.account_id, "lead_id": lead_id})
        return CreatedCopy(plan=plan, lead_id=lead_id)

    def _record(self, activity: Activity, lineage: Lineage | None = None) -> None:
        """Activity and lineage are best effort: they must never turn a made copy into an error (and a retry)."""
        try:
            self.store.checkpoint(self.account_id, lineage=[lineage] if lineage else [], activity=[activity])
        except Exception:
            logger.warning("could not record the copy's activity", exc_info=True)


def _made(result: CopyResult) -> Activity:
    job_id = f"manual-{result.lead_id}"
    return Activity.made(job_id, source_id=result.source_id, lead_id=result.lead_id, url=result.url, trigger="manual")


def _lineage(result: CopyResult) -> Lineage:
    """A copy a user made starts a new chain (depth 0): the DP loop guard counts automatic copies only."""
    job_id = f"manual-{result.lead_id}"
    return Lineage(
        lead_id=result.lead_id, source_id=result.source_id, depth=0, chain=[], job_id=job_id, trigger="manual"
    )


def _failure(lead_id: int, err: CopyError) -> Activity:
    error = JobError(code=err.code, message_ru=err.message_ru, message_en=err.message_en)
    return Activity.failed(f"manual-{lead_id}", source_id=lead_id, trigger="manual", error=error)


def copy_lead(request: CopyRequest, actor_user_id: int, *, rules: RuleBook, copier: ManualCopier) -> dict[str, Any]:
    """Copy one lead now (201 with the result); a `CopyError` is recorded and raised."""
    return copier.run(request, rules, actor_user_id)
