"""Runs the copy jobs of one account together, checkpointing after every step.

All jobs of the account in one worker batch share each amoCRM call: one read of every
source, one create per 50 copies, one link call, one notes call (plus one search when an
uncertain create must be reconciled). Between the steps the job records are written in one
batch, so a crash at any point resumes where it stopped:

    admit   rule, licence, near-duplicate DP event, loop guard, acting user   (no writes)
    plan    read sources, plan copies                                         (no writes)
    create  checkpoint `creating` + attempt time -> POST /leads -> checkpoint `created` + lineage
    link    POST /leads/link -> checkpoint `linked`
    notes   POST /leads/notes -> checkpoint `done` + activity
    finish  failure/stop notes on the sources -> `failed` (+ DLQ) / `stopped` + activity

A job in `creating` is never created again blindly: `reconcile` first looks for its lead.
Transient trouble (amoCRM 429/5xx/timeouts after the client's own retries) leaves the job
where it is, with the error, for the queue to retry; permanent trouble ends it at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from dealcopy.accounts import Account
from dealcopy.amo.errors import (
    AmoAmbiguousWrite,
    AmoError,
    AmoPaymentRequired,
    AmoTokenError,
    AmoUnavailable,
    ReinstallRequired,
)
from dealcopy.copying.batching import chunked, send_isolated
from dealcopy.copying.creating import CREATE_CHUNK, CreatedCopy
from dealcopy.copying.engine import CopyEngine
from dealcopy.copying.errors import CopyError, CopyRejected, SourceNotFound
from dealcopy.copying.metadata import AccountMetadata
from dealcopy.copying.notes import lead_url
from dealcopy.copying.rules import CopyRule, parse_rule
from dealcopy.jobs import reconcile
from dealcopy.jobs.model import JobError, JobMessage, JobRecord, JobRef, JobState, Lineage
from dealcopy.jobs.notes import job_note, loop_cycle_error, loop_depth_error
from dealcopy.jobs.seams import Seams
from dealcopy.licence import licence_of
from dealcopy.storage.jobs import JobStore, Prefetched

TRANSIENT = (AmoUnavailable, AmoError, AmoTokenError)
PERMANENT_ACCOUNT = (ReinstallRequired, AmoPaymentRequired)


@dataclass(frozen=True)
class JobPolicy:
    max_attempts: int = 5
    settle_seconds: float = 30.0
    inline_settle_max: float = 10.0  # wait inline for a settle shorter than this (else retry later)
    max_depth: int = 3
    dedup_window: int = 60


@dataclass
class Work:
    """One job in this run."""

    record: JobRecord
    message: JobMessage
    final: bool = False  # the queue will not deliver it again: finish it now
    rule: CopyRule | None = None
    failure: JobError | None = None  # permanent: finish as failed
    stop: JobError | None = None  # loop guard: finish as stopped
    retry: JobError | None = None  # transient: leave for the queue
    uncertain: JobError | None = None  # a create amoCRM did not confirm (still open: reconciled this run if it can)
    event_filed: bool = False  # its DP event is in the near-duplicate index
    saved_done: bool = False  # its final checkpoint is written

    @property
    def open(self) -> bool:
        return not self.record.terminal and self.failure is None and self.stop is None and self.retry is None


@dataclass
class RunReport:
    """Per job: None when it reached a terminal state, else the transient error it waits on."""

    outcomes: dict[str, JobError | None] = field(default_factory=dict)
    dead_letters: list[JobMessage] = field(default_factory=list)

    def pending(self, job_id: str) -> bool:
        return self.outcomes.get(job_id) is not None


def error_of(err: BaseException) -> JobError:
    if isinstance(err, CopyError):
        return JobError(code=err.code, message_ru=err.message_ru, message_en=err.message_en)
    if isinstance(err, ReinstallRequired):
        return JobError(
            code="reinstall_required",
            message_ru="доступ виджета к amoCRM отозван — администратору нужно переустановить виджет",
            message_en="the widget's access to amoCRM was revoked: an administrator must reinstall it",
        )
    if isinstance(err, AmoPaymentRequired):
        return JobError(
            code="account_unpaid", message_ru="аккаунт amoCRM не оплачен", message_en="the amoCRM account is unpaid"
        )
    if isinstance(err, AmoAmbiguousWrite):
        return JobError(
            code="amocrm_uncertain",
            message_ru=f"amoCRM не ответил на создание копии ({err.reason})",
            message_en=f"amoCRM did not answer the create ({err.reason})",
        )
    if isinstance(err, AmoUnavailable):
        return JobError(
            code="amocrm_unavailable",
            message_ru=f"amoCRM недоступен ({err.reason})",
            message_en=f"amoCRM is unavailable ({err.reason})",
        )
    if isinstance(err, AmoError):
        return JobError(
            code=f"amocrm_{err.status}",
            message_ru=f"amoCRM ответил ошибкой {err.status} {err.title}".strip(),
            message_en=f"amoCRM answered {err.status} {err.title}".strip(),
        )
    return JobError(code="internal", message_ru=f"внутренняя ошибка: {err}", message_en=f"internal error: {err}")


def _licence_error() -> JobError:
    return JobError(
        code="licence_expired",
        message_ru="срок лицензии «Копия сделки» истёк — продлите подписку",
        message_en="the Deal Copy licence has expired: renew the subscription",
    )


def _inactive_error(account: Account | None) -> JobError:
    state = account.status.value if account else "not installed"
    return JobError(
        code="account_inactive",
        message_ru=f"виджет в аккаунте не активен ({state})",
        message_en=f"the widget is not active in the account ({state})",
    )


def _no_admin_error() -> JobError:
    return JobError(
        code="no_active_admin",
        message_ru="в аккаунте нет активного администратора, от имени которого работает цифровая воронка",
        message_en="the account has no active administrator for the Digital Pipeline to act as",
    )


class JobRunner:
    def __init__(
        self,
        *,
        account_id: int,
        account: Account | None,
        store: JobStore,
        engine: CopyEngine | None,
        dead_letter: Callable[[JobMessage], None],
        policy: JobPolicy,
        seams: Seams | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        time_left: Callable[[], float] = lambda: 60.0,
    ) -> None:
        self.account_id = account_id
        self.account = account
        self.store = store
        self.engine = engine
        self.dead_letter = dead_letter
        self.policy = policy
        self.seams = seams
        self.clock = clock
        self.sleep = sleep
        self.time_left = time_left
        self.pre = Prefetched()

    # --- entry ------------------------------------------------------------------------------------

    def run(
        self, entries: Sequence[tuple[JobMessage, JobRef]], last_delivery: set[str] | frozenset[str] = frozenset()
    ) -> RunReport:
        """Advance every job as far as it goes.

        Jobs in `last_delivery` will not be delivered again by the queue: those that have used up
        their attempts are finished now (failed, with a note and a DLQ record) if they cannot
        complete; the others come back as pending and the worker queues them afresh.
        """
        report = RunReport()
        unique = list({ref.job_id: (message, ref) for message, ref in entries}.values())
        provisional = [self._new_record(message, ref) for message, ref in unique]
        dp_rules = {message.rule_hash for message, _ in unique if message.trigger == "dp"}
        self.pre = self.store.prefetch(self.account_id, provisional, dp_rules, self.policy.dedup_window)
        works: dict[str, Work] = {}
        for (message, ref), fresh in zip(unique, provisional, strict=True):
            record = self.pre.jobs.get(ref.job_id)
            if record is not None and record.terminal:
                if record.state is JobState.FAILED and not record.dead_lettered:
                    self._dead_letter([Work(record, message)], report)  # the DLQ send of a previous run failed
                report.outcomes[ref.job_id] = None
                continue
            if record is None:
                record = fresh
            record.attempts += 1
            final = ref.job_id in last_delivery and record.attempts >= self.policy.max_attempts
            works[ref.job_id] = Work(record, message, final=final)
        if not works:
            return report
        items = list(works.values())
        # No try/finally: a crash (or a bug) must leave the records as the last checkpoint wrote them.
        self._advance(items)
        self._finish(items, report)
        return report

    def _new_record(self, message: JobMessage, ref: JobRef) -> JobRecord:
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

    def _advance(self, items: list[Work]) -> None:
        for work in items:
            if work.record.error is not None:  # decided on an earlier run; only its note was missing
                work.failure = work.record.error
        if self.account is None or not self.account.is_active or self.engine is None:
            for work in items:
                if work.open:
                    work.failure = _inactive_error(self.account)
            return
        steps: list[tuple[str, Callable[[list[Work]], None]]] = [
            ("admit", self._admit),
            ("reconcile", self._reconcile),
            ("plan", self._plan),
            ("create", self._create),
            ("reconcile", self._reconcile),  # an uncertain create just now: settle and look once more
            ("create", self._create),
            ("link", self._link),
            ("notes", self._notes),
        ]
        for _, step in steps:
            active = [w for w in items if w.open]
            if not active:
                return
            try:
                step(active)
            except PERMANENT_ACCOUNT as err:
                for work in active:
                    if work.open:
                        work.failure = error_of(err)
                return
            except TRANSIENT as err:
                for work in active:
                    if work.open:
                        work.retry = error_of(err)
        for work in items:
            if work.open and not work.record.terminal:
                work.retry = work.uncertain or JobError(
                    code="unfinished", message_ru="задание не завершено", message_en="the job did not finish"
                )

    # --- admit ----------------------------------------------------------------------------------

    def _admit(self, items: list[Work]) -> None:
        fresh = [w for w in items if w.record.state is JobState.QUEUED]
        for work in items:
            try:
                work.rule = parse_rule(work.message.rule)
            except CopyError as err:
                work.failure = error_of(err)
        if not fresh:
            return
        assert self.account is not None and self.engine is not None
        if not licence_of(self.account).active(self.clock()):
            for work in fresh:
                work.failure = _licence_error()
            return
        lineage = self.pre.lineage
        admitted: list[JobRecord] = []  # DP events admitted in this run (twins within the batch)
        for work in fresh:
            if work.failure is not None:
                continue
            record = work.record
            if record.trigger == "dp" and record.event is not None:
                twin = next((r.job_id for r in admitted if self._same_event(r, record)), None)
                twin = twin or self.store.twin_of(self.pre, record, self.policy.dedup_window)
                if twin is not None:
                    record.state = JobState.DUPLICATE
                    record.result = {"duplicate_of": twin}
                    continue
                admitted.append(record)
            if record.trigger != "dp":
                # A copy a user asked for starts a new chain: the loop guard counts automatic copies only.
                record.depth, record.chain = 0, []
                continue
            parent = lineage.get(record.lead_id)
            record.depth = (parent.depth if parent else 0) + 1
            record.chain = [*(parent.chain if parent else []), record.rule_hash]
            if parent is not None:
                if record.rule_hash in parent.chain:
                    work.stop = loop_cycle_error()
                elif record.depth > self.policy.max_depth:
                    work.stop = loop_depth_error(record.depth, self.policy.max_depth)
        self._resolve_actors([w for w in fresh if w.open])

    def _same_event(self, a: JobRecord, b: JobRecord) -> bool:
        if a.event is None or b.event is None:
            return False
        return (a.lead_id, a.event.pipeline_id, a.event.status_id, a.rule_hash) == (
            b.lead_id,
            b.event.pipeline_id,
            b.event.status_id,
            b.rule_hash,
        ) and abs(a.event.time - b.event.time) <= self.policy.dedup_window

    def _resolve_actors(self, items: list[Work]) -> None:
        """Bulk jobs act for the user who asked; DP jobs for the admin who signed the rule (or any admin)."""
        dp = [w for w in items if w.message.actor_user_id is None]
        if not dp:
            return
        assert self.engine is not None
        metadata = self.engine.metadata()
        for work in dp:
            actor = _dp_actor(metadata, self.pre.signers.get(work.record.rule_hash))
            if actor is None:
                work.failure = _no_admin_error()
            else:
                work.message = work.message.model_copy(update={"actor_user_id": actor})

    # --- reconcile uncertain creates --------------------------------------------------------------

    def _reconcile(self, items: list[Work]) -> None:
        uncertain = [w for w in items if w.record.state is JobState.CREATING and w.record.attempt_at is not None]
        for work in uncertain:
            work.uncertain = None
        if not uncertain:
            return
        assert self.engine is not None
        oldest = min(w.record.attempt_at or 0 for w in uncertain)
        newest = max(w.record.attempt_at or 0 for w in uncertain)
        wait = newest + self.policy.settle_seconds - self.clock()
        if wait > 0:
            if wait > self.policy.inline_settle_max or wait > self.time_left() - 30:
                for work in uncertain:
                    work.retry = JobError(
                        code="amocrm_uncertain",
                        message_ru="ждём, пока amoCRM завершит неподтверждённое создание копии",
                        message_en="waiting for amoCRM to settle an unconfirmed create",
                    )
                return
            self.sleep(wait)
        plans = [w.record.plan for w in uncertain if w.record.plan is not None]
        candidates = reconcile.find_candidates(self.engine.api, plans, oldest)
        claimed = set(self.store.lineage(self.account_id, [int(c["id"]) for c in candidates]))
        found = reconcile.assign(plans, candidates, claimed)
        adopted = []
        for work in uncertain:
            record = work.record
            lead_id = found.get(record.plan.request_id) if record.plan else None
            record.attempt_at = None  # settled: either it exists, or it never will
            if lead_id is not None:
                record.state = JobState.CREATED
                record.created = CreatedCopy(plan=record.plan, lead_id=lead_id)
                adopted.append(work)
        self.store.put_jobs([w.record for w in uncertain], [self._lineage_item(w) for w in adopted])

    # --- plan -----------------------------------------------------------------------------------

    def _plan(self, items: list[Work]) -> None:
        todo = [w for w in items if w.record.state is JobState.QUEUED]
        if not todo:
            return
        assert self.engine is not None
        for work in todo:
            try:
                assert work.rule is not None
                self.engine.check_rule(work.rule)
            except CopyError as err:
                work.failure = error_of(err)
        todo = [w for w in todo if w.open]
        sources = self.engine.read_sources([w.record.lead_id for w in todo]) if todo else {}
        for work in todo:
            record = work.record
            try:
                source = sources.get(record.lead_id)
                if source is None:
                    raise SourceNotFound(record.lead_id)
                assert work.rule is not None and work.message.actor_user_id is not None
                record.plan = self.engine.plan(source, work.rule, work.message.actor_user_id, record.job_id)
                record.state = JobState.CREATING
            except CopyError as err:
                work.failure = error_of(err)

    # --- create ---------------------------------------------------------------------------------

    def _create(self, items: list[Work]) -> None:
        todo = [w for w in items if w.record.state is JobState.CREATING and w.record.attempt_at is None]
        assert self.engine is not None
        for part in chunked(todo, CREATE_CHUNK):
            now = self.clock()
            for work in part:
                work.record.attempt_at = now
            self.store.put_jobs([w.record for w in part], self._trigger_items(part))
            try:
                outcomes = self.engine.create([w.record.plan for w in part if w.record.plan is not None])
            except AmoAmbiguousWrite as err:
                for work in part:
                    work.uncertain = error_of(
                        err
                    )  # stays `creating` with its attempt time: reconciled before any retry
                continue
            except AmoUnavailable as err:
                # Every attempt was refused before amoCRM ran it (429/503/connection): nothing exists.
                for work in part:
                    work.record.attempt_at = None
                    work.retry = error_of(err)
                self.store.put_jobs([w.record for w in part])
                continue
            self._crash("create.sent")
            created = []
            for work, outcome in zip(part, outcomes, strict=True):
                if isinstance(outcome, CopyRejected):
                    work.record.attempt_at = None
                    work.failure = error_of(outcome)
                else:
                    work.record.state = JobState.CREATED
                    work.record.attempt_at = None
                    work.record.created = outcome
                    created.append(work)
            self.store.put_jobs([w.record for w in part], [self._lineage_item(w) for w in created])
            self._crash("create.saved")

    def _trigger_items(self, items: list[Work]) -> list[dict[str, Any]]:
        """DP events that now have a job (a later near-duplicate of them is dropped); each filed once."""
        filed = []
        for work in items:
            if work.event_filed or work.record.event is None or work.record.state is JobState.DUPLICATE:
                continue
            work.event_filed = True
            filed.append(self.store.trigger_item(self.account_id, work.record, self.policy.dedup_window))
        return filed

    def _lineage_item(self, work: Work) -> dict[str, Any]:
        record = work.record
        assert record.created is not None
        return self.store.lineage_item(
            self.account_id,
            Lineage(
                lead_id=record.created.lead_id,
                source_id=record.lead_id,
                depth=record.depth,
                chain=record.chain,
                job_id=record.job_id,
                trigger=record.trigger,
            ),
        )

    # --- follow-up writes -------------------------------------------------------------------------

    def _link(self, items: list[Work]) -> None:
        todo = [w for w in items if w.record.state is JobState.CREATED and w.record.created is not None]
        if not todo:
            return
        assert self.engine is not None
        linked = self.engine.link([w.record.created for w in todo if w.record.created is not None])
        self._crash("link.sent")
        for work, created in zip(todo, linked, strict=True):
            work.record.created = created
            work.record.state = JobState.LINKED
        self.store.put_jobs([w.record for w in todo])
        self._crash("link.saved")

    def _notes(self, items: list[Work]) -> None:
        todo = [w for w in items if w.record.state is JobState.LINKED and w.record.created is not None]
        if not todo:
            return
        assert self.engine is not None
        noted = self.engine.write_notes([w.record.created for w in todo if w.record.created is not None])
        self._crash("notes.sent")
        activity = []
        for work, created in zip(todo, noted, strict=True):
            record = work.record
            record.created = created
            record.state = JobState.DONE
            result = self.engine.result(created)
            record.result = result.model_dump(mode="json")
            work.saved_done = True
            activity.append(
                self.store.activity_item(
                    self.account_id,
                    "copy",
                    record.job_id,
                    {
                        "source_id": record.lead_id,
                        "lead_id": result.lead_id,
                        "url": result.url,
                        "trigger": record.trigger,
                    },
                )
            )
        self.store.put_jobs([w.record for w in todo], activity)

    # --- finish -----------------------------------------------------------------------------------

    def _finish(self, items: list[Work], report: RunReport) -> None:
        """Write failure/stop notes, end those jobs, and save every job that waits for a retry."""
        ending = [w for w in items if w.failure is not None or w.stop is not None or (w.retry is not None and w.final)]
        for work in ending:
            if work.failure is None and work.stop is None:
                work.failure = work.retry
        self._write_failure_notes(ending)
        activity = []
        for work in ending:
            record = work.record
            error = work.stop or work.failure
            assert error is not None
            record.error = error
            if work.stop is not None:
                record.state = JobState.STOPPED
            elif record.state is not JobState.FAILED:
                record.failed_from = record.state
                record.state = JobState.FAILED
            activity.append(
                self.store.activity_item(
                    self.account_id,
                    "fail",
                    record.job_id,
                    {"source_id": record.lead_id, "trigger": record.trigger, **error.model_dump()},
                )
            )
        waiting = [w for w in items if not w.record.terminal]
        for work in waiting:
            work.record.last_error = work.retry
        unsaved = [w for w in items if w.record.terminal and w not in ending and not w.saved_done]
        pending = [*unsaved, *ending, *waiting]
        extra = [*activity, *self._trigger_items(pending)]
        if pending or extra:
            self.store.put_jobs([w.record for w in pending], extra)
        self._dead_letter([w for w in ending if w.record.state is JobState.FAILED], report)
        for work in items:
            if work.record.terminal:
                report.outcomes[work.record.job_id] = None
            else:
                report.outcomes[work.record.job_id] = work.retry or JobError(
                    code="unfinished", message_ru="задание не завершено", message_en="the job did not finish"
                )

    def _write_failure_notes(self, ending: list[Work]) -> None:
        if not ending or self.engine is None or self.account is None or not self.account.is_active:
            return
        lang = self.engine.lang
        groups = []
        for i, work in enumerate(ending):
            error = work.stop or work.failure
            if error is None or error.code in ("source_not_found", "reinstall_required", "account_unpaid"):
                work.record.note_written = False  # nothing to write on, or no way to write
                continue
            groups.append((i, [job_note(work.record, error, lang, stopped=work.stop is not None)]))
        if not groups:
            return
        try:
            refused = send_isolated(
                groups, lambda body: self.engine.api.post("/api/v4/leads/notes", body, idempotent=True)
            )
        except (*TRANSIENT, *PERMANENT_ACCOUNT):
            refused = {i: [] for i, _ in groups}
        for i, _ in groups:
            ending[i].record.note_written = i not in refused

    def _dead_letter(self, items: list[Work], report: RunReport) -> None:
        for work in items:
            record = work.record
            error = record.error
            message = work.message.model_copy(
                update={
                    "jobs": [JobRef(job_id=record.job_id, lead_id=record.lead_id)],
                    "failure": {
                        "job_id": record.job_id,
                        "state": record.failed_from.value if record.failed_from else None,
                        "attempts": record.attempts,
                        "note_written": record.note_written,
                        **(error.model_dump() if error else {}),
                    },
                }
            )
            self.dead_letter(message)
            record.dead_lettered = True
            report.dead_letters.append(message)
        if items:
            self.store.put_jobs([w.record for w in items])

    def _crash(self, point: str) -> None:
        if self.seams is not None:
            self.seams.crash_point(point)


def _dp_actor(metadata: AccountMetadata, signer: int | None) -> int | None:
    """The admin a DP copy acts as: the rule's signer while an active admin, else the first active admin."""
    user = metadata.users.get(signer) if signer is not None else None
    if user is not None and user.is_admin and user.is_active:
        return user.id
    admins = sorted(u.id for u in metadata.users.values() if u.is_admin and u.is_active)
    return admins[0] if admins else None


def copy_entry(record: JobRecord, domain: str) -> dict[str, Any]:
    """A job's result in the shape of the bulk progress answer."""
    state = "done" if record.state is JobState.DONE else "failed" if record.terminal else "pending"
    entry: dict[str, Any] = {"lead_id": record.lead_id, "state": state, "copy_id": None, "url": None, "error": None}
    if record.state is JobState.DONE and record.copy_id:
        entry.update(copy_id=record.copy_id, url=lead_url(domain, record.copy_id))
    elif record.terminal and record.error is not None:
        entry["error"] = record.error.model_dump()
    return entry
