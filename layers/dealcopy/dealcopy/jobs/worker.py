"""The SQS worker: a batch of copy-job messages in, one partial-failure answer out.

How a batch is handled, deliberately:

1. Every message is parsed; the jobs are grouped by account (= message group).
2. For each account, *all* its jobs of the batch run together (`JobRunner`): one read, one
   create, one link and one notes call for the lot. The outcome of every job is known
   before anything is reported.
3. The outcomes are reported per record through powertools' `SqsFifoPartialProcessor` with
   `skip_group_on_error`: the first record of a group with a pending job fails, and so does
   every later record of that group (FIFO order holds); other groups are unaffected. A later
   record failed that way may have finished its jobs: its job records say so, and its next
   delivery is a no-op. A batch where every record fails is reported item by item rather
   than raised (it is an expected state while amoCRM is down, not a worker error).
4. Failed records get an exponential visibility backoff (`job_retry_base_seconds` x 2^n).
5. On the last delivery (ApproximateReceiveCount = maxReceiveCount) no record is reported as
   failed: jobs out of attempts were finished by the runner (note on the source + DLQ record
   sent by us, with the reason); jobs that still have attempts (their earlier deliveries were
   skipped behind a failing record) are queued again as a fresh message. Only a crash on the
   last delivery leaves the move to the DLQ to SQS itself (the DLQ alarm reports it).
6. With a backlog (`jobs.backlog`), the run also takes the account's other queued jobs, up to
   `policy.batch_size` (their own messages, delivered later, find them finished); backlog items
   are dropped once their jobs have a record (from then on their own deliveries drive them).
7. A schedule's fire (`jobs.scheduled`) joins its account's group as the one job it stands for
   (or none); once that job has ended its schedule moves on. A DP job whose rule has a delay
   is planned for later instead of run. Fires wait in the backlog too, under their due time: the
   run takes those due by now (or by the latest delivered fire's time, the scheduler's clock).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import SqsFifoPartialProcessor, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from pydantic import ValidationError

from dealcopy.accounts import Account
from dealcopy.copying.engine import CopyEngine
from dealcopy.jobs.backlog import BacklogReader, gather
from dealcopy.jobs.queue import JobQueue
from dealcopy.jobs.runner import JobRunner
from dealcopy.jobs.scheduled import DEFERRABLE_ORIGINS, FireRun, Fires
from dealcopy.jobs.seams import Seams, SimulatedCrash
from dealcopy.jobs.work import JobPolicy, Run, RunReport
from dealcopy.observability import logger, metrics
from dealcopy.records.job import JobError, JobMessage
from dealcopy.records.ports import RunStorage
from dealcopy.records.scheduled_fire import ScheduledFire

MAX_VISIBILITY_BACKOFF = 600
CLOCK_LEEWAY = 2.0  # seconds: a backlog item another instance queued a moment ago, by a clock a little ahead


class JobRetry(Exception):
    """A record whose jobs are not finished: the queue delivers it again."""


class FifoBatchProcessor(SqsFifoPartialProcessor):
    """FIFO partial failures per message group; an all-failed batch is reported, not raised."""

    def __init__(self) -> None:
        super().__init__(skip_group_on_error=True)
        self.raise_on_entire_batch_failure = False


@dataclass
class Delivery:
    raw: dict[str, Any]
    message: JobMessage | None
    receive_count: int
    retry: JobError | None = None
    fire_body: str | None = None  # a schedule's fire (then `message` is None until it is opened)
    fire_account: int | None = None
    fire: FireRun | None = None
    deferred: bool = False  # a delayed DP job planned for later: acknowledged without running
    backlog_sk: str | None = None  # taken from the account's backlog, not delivered by the queue

    @property
    def message_id(self) -> str:
        return str(self.raw.get("messageId"))

    @property
    def account_id(self) -> int | None:
        return self.message.account_id if self.message is not None else self.fire_account

    @property
    def job(self) -> JobMessage | None:
        """The job message this delivery runs now (a fire's own, once opened)."""
        if self.deferred:
            return None
        return self.fire.message if self.fire is not None else self.message


class CopyWorker:
    def __init__(
        self,
        *,
        store: RunStorage,
        queue: JobQueue,
        account_of: Callable[[int], Account | None],
        engine_for: Callable[[Account], CopyEngine],
        policy: JobPolicy,
        seams: Seams | None = None,
        retry_base_seconds: int = 30,
        fires: Fires | None = None,
        backlog: BacklogReader | None = None,
    ) -> None:
        self.store = store
        self.queue = queue
        self.account_of = account_of
        self.engine_for = engine_for
        self.policy = policy
        self.seams = seams
        self.retry_base = retry_base_seconds
        self.fires = fires
        self.backlog = backlog if policy.batch_size else None
        self.processor = FifoBatchProcessor()

    def handle(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        deliveries = [self._parse(raw) for raw in event.get("Records") or []]
        time_left = _time_left(context)
        if self.seams is not None:
            self.seams.begin()
        by_account: dict[int, list[Delivery]] = {}
        for delivery in deliveries:
            if delivery.account_id is not None:
                by_account.setdefault(delivery.account_id, []).append(delivery)
        for account_id, group in by_account.items():
            try:
                self._run_account(account_id, group, time_left)
            except SimulatedCrash:
                raise
            except Exception as err:  # a bug or AWS trouble: retried; SQS dead-letters it after the last try
                logger.exception("copy jobs of an account failed", extra={"account_id": account_id})
                for delivery in group:
                    delivery.retry = JobError(code="internal", message_ru=str(err), message_en=str(err))
        pending = {d.message_id: d.retry for d in deliveries}

        def record_handler(record: SQSRecord) -> None:
            error = pending.get(record.message_id)
            if error is not None:
                raise JobRetry(f"{error.code}: {error.message_en}")

        answer = process_partial_response(
            event=event, record_handler=record_handler, processor=self.processor, context=context
        )
        self._back_off(deliveries, answer)
        return answer

    # --- steps -------------------------------------------------------------------------------------

    def _parse(self, raw: dict[str, Any]) -> Delivery:
        count = int((raw.get("attributes") or {}).get("ApproximateReceiveCount") or 1)
        body = raw.get("body") or ""
        fire_account = self.fires.account_of(body) if self.fires is not None else None
        if fire_account is not None:
            return Delivery(raw, None, count, fire_body=body, fire_account=fire_account)
        try:
            return Delivery(raw, JobMessage.from_json(raw.get("body") or ""), count)
        except ValidationError:
            # Never processable: straight to the DLQ so it is seen, and acknowledged.
            logger.error("unreadable copy-job message", extra={"message_id": raw.get("messageId")})
            group = (raw.get("attributes") or {}).get("MessageGroupId") or "unknown"
            self.queue.dead_letter_raw(raw.get("body") or "", group, str(raw.get("messageId")))
            metrics.add_metric(name="JobsDeadLettered", unit=MetricUnit.Count, value=1)
            return Delivery(raw, None, count)

    def _run_account(self, account_id: int, group: list[Delivery], time_left: Callable[[], float]) -> None:
        account = self.account_of(account_id)
        engine = self.engine_for(account) if account is not None and account.is_active else None
        taken, own = self._take_backlog(account_id, group)
        self._schedule([*group, *taken], account, engine)
        runner = JobRunner(
            Run(
                account_id=account_id,
                account=account,
                engine=engine,
                store=self.store,
                policy=self.policy,
                dead_letter=self.queue.dead_letter,
                seams=self.seams,
                time_left=time_left,
            )
        )
        entries = [(job, ref) for d in group if (job := d.job) is not None for ref in job.jobs]
        last = {
            ref.job_id
            for d in group
            if (job := d.job) is not None and d.receive_count >= self.policy.max_attempts
            for ref in job.jobs
        }
        extra = [(job, ref) for d in taken if (job := d.job) is not None for ref in job.jobs]
        report = runner.run(entries, last, extra)
        done = sum(1 for error in report.outcomes.values() if error is None)
        metrics.add_metric(name="JobsFinished", unit=MetricUnit.Count, value=done)
        if report.dead_letters:
            metrics.add_metric(name="JobsDeadLettered", unit=MetricUnit.Count, value=len(report.dead_letters))
        self._drop_backlog(account_id, taken, own, report)
        self._settle(group, report)
        self._follow_taken_fires(taken, report)

    def _settle(self, group: list[Delivery], report: RunReport) -> None:
        """Per delivered record: done, queued afresh (attempts left, deliveries not), or left for a retry."""
        for delivery in group:
            job = delivery.job
            waiting = [ref for ref in job.jobs if report.pending(ref.job_id)] if job is not None else []
            if not waiting:
                if delivery.fire is not None:
                    delivery.fire.after()
                continue
            if delivery.receive_count >= self.policy.max_attempts:
                # Attempts left, deliveries not: a fresh message (its earlier deliveries were skipped).
                self.queue.recycle(job.but(jobs=waiting))
                if delivery.fire is not None:
                    delivery.fire.after()  # the recycled job finishes the copy; the schedule moves on
                continue
            delivery.retry = report.outcomes[waiting[0].job_id]
            metrics.add_metric(name="JobsRetried", unit=MetricUnit.Count, value=len(waiting))

    def _follow_taken_fires(self, taken: list[Delivery], report: RunReport) -> None:
        """A fire taken from the backlog whose job has ended moves its schedule on now; if that fails, its own
        delivery, still to come, finds the job finished and moves it on (the delivered records stay done)."""
        for delivery in taken:
            job = delivery.job
            if delivery.fire is None or job is None or not all(_ended(report, r.job_id) for r in job.jobs):
                continue
            try:
                delivery.fire.after()
            except Exception:
                logger.warning("could not move a schedule on after its fire", extra={"message_id": delivery.message_id})

    def _take_backlog(self, account_id: int, group: list[Delivery]) -> tuple[list[Delivery], list[str]]:
        """The account's other queued jobs and due fires for this run, and the backlog items of the delivered ones."""
        if self.backlog is None:
            return [], []
        delivered = {ref.job_id for d in group if d.message is not None for ref in d.message.jobs}
        fired = [fire for d in group if d.fire_body is not None and (fire := _fire(d.fire_body)) is not None]
        horizon = max([time.time() + CLOCK_LEEWAY, *(fire.scheduled_at.timestamp() for fire in fired)])
        occurrences = {fire.occurrence for fire in fired}
        taken: list[Delivery] = []
        own: list[str] = []
        try:
            limit, seconds = self.policy.batch_size, self.policy.gather_seconds
            items = gather(self.backlog, account_id, limit, seconds, horizon=horizon)
        except Exception:  # the backlog only batches: without it the delivered jobs still run
            logger.warning("could not read the account's backlog", extra={"account_id": account_id})
            return [], []
        for item in items:
            if item.fire is not None:
                fire = _fire(item.fire)
                if fire is None or fire.account_id != account_id or fire.occurrence in occurrences:
                    own.append(item.sk)  # unreadable, or delivered now
                    continue
                raw = {"messageId": f"backlog:{item.sk}"}
                taken.append(Delivery(raw, None, 0, fire_body=item.fire, fire_account=account_id, backlog_sk=item.sk))
                continue
            message = item.message
            if message is None or message.account_id != account_id or {r.job_id for r in message.jobs} <= delivered:
                own.append(item.sk)  # unreadable, or delivered now: nothing left for the backlog to do
                continue
            taken.append(Delivery({"messageId": f"backlog:{item.sk}"}, message, 0, backlog_sk=item.sk))
        return taken, own

    def _drop_backlog(self, account_id: int, taken: list[Delivery], own: list[str], report: RunReport) -> None:
        """Items whose jobs now have a record (or were planned for later) leave the backlog."""
        if self.backlog is None:
            return
        seen = report.outcomes.keys() | report.elsewhere
        gone = [
            d.backlog_sk
            for d in taken
            if d.backlog_sk and (d.deferred or (job := d.job) is None or all(r.job_id in seen for r in job.jobs))
        ]
        try:
            self.backlog.drop(account_id, [*own, *gone])
        except Exception:  # a stale item costs a skipped job in a later run, nothing more
            logger.warning("could not drop finished jobs from the backlog", extra={"account_id": account_id})

    def _schedule(self, group: list[Delivery], account: Account | None, engine: CopyEngine | None) -> None:
        """Open the group's fires, and plan its delayed DP jobs for later (`jobs.scheduled`)."""
        if self.fires is None:
            return
        fired = [d for d in group if d.fire_body is not None]
        if fired:
            opened = self.fires.open_all([d.fire_body or "" for d in fired], account, engine)
            for delivery, fire in zip(fired, opened, strict=True):
                delivery.fire = fire
        for delivery in group:
            if (
                engine is not None
                and delivery.fire_body is None
                and delivery.message is not None
                and delivery.message.trigger == "dp"
                and delivery.message.origin in DEFERRABLE_ORIGINS
            ):
                delivery.deferred = self.fires.defer(delivery.message, engine)

    def _back_off(self, deliveries: list[Delivery], answer: dict[str, Any]) -> None:
        failed = {item["itemIdentifier"] for item in answer.get("batchItemFailures") or []}
        for delivery in deliveries:
            if delivery.message_id not in failed:
                continue
            seconds = min(MAX_VISIBILITY_BACKOFF, self.retry_base * 2 ** max(0, delivery.receive_count - 1))
            try:
                self.queue.delay(str(delivery.raw.get("receiptHandle")), int(seconds))
            except Exception:  # the default visibility timeout applies instead
                logger.warning("could not set the retry backoff", extra={"message_id": delivery.message_id})


def _fire(body: str) -> ScheduledFire | None:
    try:
        return ScheduledFire.model_validate_json(body)
    except ValidationError:
        return None


def _ended(report: RunReport, job_id: str) -> bool:
    """The job ran in this run and reached a terminal state (not waiting, not left to its own delivery)."""
    return job_id in report.outcomes and not report.pending(job_id)


def _time_left(context: Any) -> Callable[[], float]:
    getter = getattr(context, "get_remaining_time_in_millis", None)
    if getter is None:
        started = time.monotonic()
        return lambda: 120.0 - (time.monotonic() - started)
    return lambda: getter() / 1000.0
