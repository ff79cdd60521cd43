"""Catch-up: finds DP events no hook brought (amoCRM may send a hook once and never retry).

Runs on a schedule. For every DP rule learned from hooks (`DpRuleRepository.learn`) it asks
amoCRM which leads entered the rule's trigger stage, and queues a job for each event that
has none yet; the job id is the one the hook would have produced, so the queue's
de-duplication and the job records make a hook plus the catch-up one copy.

Per account and run, one read of the leads that entered any trigger stage in the rules'
windows (`copying.stage_entries`: one events search, one leads search per stage).

Which events a rule may catch up: only those between the first and the latest event a hook
brought for it (minus a grace period for hooks still in flight), and never one before the
rule was signed (`SignatureRepository.signed_at`; a rule without a signing record is skipped):
a hook claiming an old event time cannot open the account's history to the catch-up. amoCRM has no API to list DP
triggers, so a later hook is the only proof the trigger still exists: a trigger the admin
removed is never acted on by the catch-up. The price: an event missed after the last hook of
a quiet stage waits until the next hook for that rule arrives. Assumption (U): an event's
`created_at` equals the hook's `event[time]`; the worker also treats the same lead, stage and
rule within `dp_dedup_window` seconds as one event, should they differ slightly.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from dealcopy.accounts import Account
from dealcopy.copying.metadata import AmoApi
from dealcopy.copying.stage_entries import StageEntry, stage_entries
from dealcopy.jobs.queue import JobQueue
from dealcopy.observability import logger
from dealcopy.records.job import DpEvent, JobMessage, JobRef, dp_job_id
from dealcopy.storage.dp_rules import DpRuleRepository
from dealcopy.storage.jobs import JobRepository
from dealcopy.storage.signatures import SignatureRepository


@dataclass
class CatchUpReport:
    accounts: int = 0
    rules: int = 0
    events: int = 0
    queued: int = 0
    failed_accounts: list[int] = field(default_factory=list)
    queued_jobs: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "accounts": self.accounts,
            "rules": self.rules,
            "events": self.events,
            "queued": self.queued,
            "failed_accounts": self.failed_accounts,
            "queued_jobs": self.queued_jobs,
        }


class CatchUp:
    def __init__(
        self,
        *,
        rules: DpRuleRepository,
        jobs: JobRepository,
        queue: JobQueue,
        account_of: Callable[[int], Account | None],
        client_for: Callable[[Account], AmoApi],
        signatures: SignatureRepository,
        grace: int = 60,
        overlap: int = 300,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.rules = rules
        self.jobs = jobs
        self.queue = queue
        self.account_of = account_of
        self.client_for = client_for
        self.signatures = signatures
        self.grace = grace
        self.overlap = overlap
        self.clock = clock

    def run(self) -> CatchUpReport:
        report = CatchUpReport()
        by_account: dict[int, list[dict[str, Any]]] = {}
        for rule in self.rules.all():
            by_account.setdefault(int(rule["account_id"]), []).append(rule)
        signed = self.signatures.signed_at(
            (account_id, str(rule.get("rule_hash"))) for account_id, rules in by_account.items() for rule in rules
        )
        for account_id, rules in sorted(by_account.items()):
            try:
                account = self.account_of(account_id)
                if account is None or not account.is_active:
                    continue
                report.accounts += 1
                for rule in rules:
                    rule["signed_at"] = signed.get((account_id, str(rule.get("rule_hash"))))
                self._account(account, rules, report)
            except Exception:  # amoCRM trouble, or a bug / a corrupt stored rule: recorded, the others still run
                logger.exception("catch-up failed for an account", extra={"account_id": account_id})
                report.failed_accounts.append(account_id)
        return report

    def _window(self, rule: dict[str, Any], now: float) -> tuple[int, int] | None:
        if rule.get("signed_at") is None:
            return None  # no record of when it was signed: its history is not ours to act on
        first = max(int(rule.get("first_event_time") or 0), int(rule["signed_at"]))
        last = int(rule.get("last_event_time") or 0)
        checkpoint = int(rule.get("caught_up_to") or first)
        low = max(first, checkpoint - self.overlap)
        high = min(last, int(now) - self.grace)
        return (low, high) if high >= low else None

    def _account(self, account: Account, rules: list[dict[str, Any]], report: CatchUpReport) -> None:
        now = self.clock()
        windows = {rule["sk"]: w for rule in rules if (w := self._window(rule, now)) is not None}
        active = [rule for rule in rules if rule["sk"] in windows]
        if not active:
            return
        report.rules += len(active)
        low = min(w[0] for w in windows.values())
        high = max(w[1] for w in windows.values())
        stages = sorted({(int(r["pipeline_id"]), int(r["status_id"])) for r in active})
        found = stage_entries(self.client_for(account), stages, low, high)
        report.events += len(found)
        messages: dict[str, JobMessage] = {}
        for rule in active:
            lo, hi = windows[rule["sk"]]
            for event in found:
                if (event.pipeline_id, event.status_id) != (int(rule["pipeline_id"]), int(rule["status_id"])):
                    continue
                if not lo <= event.time <= hi:
                    continue
                message = _message(account.account_id, rule, event)
                messages[message.jobs[0].job_id] = message
        known = self.jobs.get_jobs(account.account_id, list(messages))
        missing = [m for job_id, m in messages.items() if job_id not in known]
        if missing:
            self.queue.send(missing)
            logger.info(
                "catch-up queued missed DP events", extra={"account_id": account.account_id, "count": len(missing)}
            )
        report.queued += len(missing)
        report.queued_jobs.extend(m.jobs[0].job_id for m in missing)
        for rule in active:
            self.rules.set_caught_up(rule["sk"], windows[rule["sk"]][1])


def _message(account_id: int, rule: dict[str, Any], event: StageEntry) -> JobMessage:
    digest = str(rule["rule_hash"])
    job_id = dp_job_id(account_id, event.lead_id, event.pipeline_id, event.status_id, event.time, digest)
    return JobMessage(
        account_id=account_id,
        trigger="dp",
        origin="catchup",
        rule=str(rule["rule"]),
        rule_hash=digest,
        event=DpEvent(pipeline_id=event.pipeline_id, status_id=event.status_id, time=event.time, type="catchup"),
        jobs=[JobRef(job_id=job_id, lead_id=event.lead_id)],
    )
