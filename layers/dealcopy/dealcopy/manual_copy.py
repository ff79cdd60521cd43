"""A manual copy requested from the lead card: the request, the rule it resolves to, and the run.

The run never leaves a second copy behind a timeout: when amoCRM may or may not have made
the lead (`AmoAmbiguousWrite`), we wait for the attempt to settle and look for it (the same
search the DP jobs use, `jobs.reconcile`). Found: the copy carries on with links and notes.
Not found: it was not made, and the user is told a retry is safe.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PositiveInt, model_validator

from dealcopy.amo.errors import AmoUnavailable
from dealcopy.copying.creating import CreatedCopy
from dealcopy.copying.engine import CopyEngine
from dealcopy.copying.errors import CopyError, RuleInvalid, RuleProblem
from dealcopy.copying.plan import CopyPlan
from dealcopy.copying.rules import CopyRule, parse_rule
from dealcopy.jobs import reconcile
from dealcopy.jobs.activity import record_manual_copy, record_manual_failure
from dealcopy.observability import logger
from dealcopy.storage.presets import PRESET_ID_PATTERN, Preset


class RuleChoice(BaseModel):
    """`rule`, or `preset_id` plus optional `overrides`; the key makes a retry return the same answer."""

    model_config = ConfigDict(extra="forbid")

    rule: dict[str, Any] | None = None
    preset_id: str | None = Field(default=None, pattern=PRESET_ID_PATTERN)
    overrides: dict[str, Any] = Field(default_factory=dict)
    idempotency_key: str = Field(min_length=8, max_length=128, pattern=r"^[A-Za-z0-9_.:-]+$")

    @model_validator(mode="after")
    def _one_rule_source(self) -> RuleChoice:
        if (self.rule is None) == (self.preset_id is None):
            raise ValueError("give exactly one of `rule` or `preset_id`")
        return self

    def resolve(self, preset: Preset | None) -> CopyRule:
        """The rule to run: the request's own, or the preset's with the overrides applied on top."""
        if self.rule is not None:
            return parse_rule({**self.rule, **self.overrides})
        if preset is None:
            raise RuleInvalid(
                [
                    RuleProblem(
                        "preset_id", f"шаблон «{self.preset_id}» не найден", f"preset '{self.preset_id}' not found"
                    )
                ]
            )
        return parse_rule({**preset.rule, **self.overrides})


class CopyRequest(RuleChoice):
    """One manual copy from the lead card."""

    lead_id: PositiveInt


@dataclass
class ManualCopier:
    """Runs one manual copy for an account and records it in the activity log."""

    engine: CopyEngine
    jobs: Any  # JobStore: lineage (leads already claimed by a copy) and activity
    account_id: int
    settle: float = 3.0
    sleep: Callable[[float], None] = field(default=time.sleep)

    def run(self, request: CopyRequest, preset: Preset | None, actor_user_id: int) -> dict[str, Any]:
        try:
            result = self.engine.copy_one(request.lead_id, request.resolve(preset), actor_user_id, adopt=self.adopt)
        except CopyError as err:
            self._record(record_manual_failure, request.lead_id, err)
            raise
        self._record(record_manual_copy, result)  # once per key: replays return the stored answer
        return result.model_dump(mode="json")

    def adopt(self, plan: CopyPlan, attempted: float) -> CreatedCopy | None:
        """The lead an uncertain create made, found by the DP jobs' search; raises if it was not made."""
        self.sleep(self.settle)
        candidates = reconcile.find_candidates(self.engine.api, [plan], attempted)
        claimed = set(self.jobs.lineage(self.account_id, [int(c["id"]) for c in candidates]))
        lead_id = reconcile.assign([plan], candidates, claimed).get(plan.request_id)
        if lead_id is None:
            raise AmoUnavailable("amoCRM did not create the copy (checked after a timeout); a retry is safe")
        logger.info("uncertain create reconciled", extra={"account_id": self.account_id, "lead_id": lead_id})
        return CreatedCopy(plan=plan, lead_id=lead_id)

    def _record(self, what: Callable[..., None], *args: Any) -> None:
        """Activity and lineage are best effort: they must never turn a made copy into an error (and a retry)."""
        try:
            what(self.jobs, self.account_id, *args)
        except Exception:
            logger.warning("could not record the copy's activity", exc_info=True)
