"""Fires the EventBridge Scheduler schedules kept in moto (moto stores them but never fires).

`run_due(now)` sends, for every enabled schedule due up to `now`, its target message into its
SQS queue as EventBridge would: the input with `<aws.scheduler.*>` context attributes filled
in, `SqsParameters.MessageGroupId`, no de-duplication id (the scheduler cannot set one, so the
FIFO queue needs content-based de-duplication). One-time `at(...)` schedules fire once and are
deleted when `ActionAfterCompletion` is DELETE; `rate(...)`/`cron(...)` ones fire every
occurrence between their last fire and `now`. A delivery SQS refuses goes to the target's
dead-letter queue (locally after one attempt, no retry policy). `start()` runs it in real
time for `make dev`; the gateway's `POST /_devstack/scheduler/run-due` runs it on demand.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from botocore.exceptions import ClientError

from devstack.http import HTTP
from devstack.scheduler_cron import cron_times

log = logging.getLogger("devstack.event_scheduler")
MAX_FIRES_PER_RUN = 500  # per schedule: a rate(1 minute) across a months-long jump stays bounded
_RATE_UNITS = {"minute": 60, "hour": 3600, "day": 86400}


def at_time(expression: str, timezone: str) -> datetime:
    """`at(2026-02-28T10:00:00)` in `timezone` -> UTC."""
    found = re.fullmatch(r"\s*at\((\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\)\s*", expression)
    if not found:
        raise ValueError(f"not a one-time expression: {expression!r}")
    return datetime.fromisoformat(found.group(1)).replace(tzinfo=ZoneInfo(timezone or "UTC")).astimezone(UTC)


def rate_period(expression: str) -> timedelta:
    found = re.fullmatch(r"\s*rate\(\s*(\d+)\s+(minute|hour|day)s?\s*\)\s*", expression)
    if not found or int(found.group(1)) < 1:
        raise ValueError(f"unsupported rate expression {expression!r}")
    return timedelta(seconds=int(found.group(1)) * _RATE_UNITS[found.group(2)])


def _aware(value: Any) -> datetime | None:
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromtimestamp(float(value), UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def move_emulator_clock(emulator_url: str, moment: datetime) -> None:
    """Advance the amoCRM emulator's clock to `moment` (never back: tokens and windows read it)."""
    current = HTTP.get(f"{emulator_url}/_emulator/clock", timeout=10).json()["now"]
    ahead = moment.timestamp() - float(current)
    if ahead > 0:
        HTTP.post(f"{emulator_url}/_emulator/clock", json={"advance_seconds": ahead}, timeout=10).raise_for_status()


class EventScheduler:
    def __init__(
        self,
        scheduler: Any,
        sqs: Any,
        *,
        interval: float = 15.0,
        clock: Callable[[datetime], None] | None = None,
    ) -> None:
        self._scheduler = scheduler
        self._sqs = sqs
        self._interval = interval
        self._clock = clock
        self._lock = threading.Lock()
        self._last: dict[str, datetime] = {}  # schedule ARN -> last recurring occurrence fired
        self._done: set[tuple[str, datetime]] = set()  # one-time schedules kept after firing
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- firing -------------------------------------------------------------------------------
    def advance_clock(self, now: datetime) -> None:
        """Move the emulator's clock to `now` (never back) without firing anything."""
        if self._clock:
            with self._lock:
                self._clock(_aware(now))

    def run_due(self, now: datetime, *, move_clock: bool = False) -> list[dict[str, str]]:
        """Fire everything due up to `now`; returns what was sent (name, group, scheduled time)."""
        now = _aware(now)
        with self._lock:
            if move_clock and self._clock:
                self._clock(now)
            fired: list[dict[str, str]] = []
            for summary in self._summaries():
                if summary.get("State") != "ENABLED":
                    continue
                schedule = self._scheduler.get_schedule(Name=summary["Name"], GroupName=summary["GroupName"])
                for moment in self._due_times(schedule, now):
                    self._deliver(schedule, moment)
                    fired.append({"name": schedule["Name"], "group": schedule["GroupName"], "time": iso(moment)})
                self._after(schedule, now)
            return fired

    def _summaries(self) -> Iterator[dict[str, Any]]:
        for page in self._scheduler.get_paginator("list_schedules").paginate():
            yield from page.get("Schedules", [])

    def _due_times(self, schedule: dict[str, Any], now: datetime) -> list[datetime]:
        expression, tz = schedule["ScheduleExpression"], schedule.get("ScheduleExpressionTimezone") or "UTC"
        if expression.startswith("at("):
            moment = at_time(expression, tz)
            return [moment] if moment <= now and (schedule["Arn"], moment) not in self._done else []
        start, end = _aware(schedule.get("StartDate")), _aware(schedule.get("EndDate"))
        last = self._last.get(schedule["Arn"])
        until = min(now, end) if end else now
        if expression.startswith("rate("):
            times = _rate_times(rate_period(expression), start, _aware(schedule.get("CreationDate")), last, until)
        else:
            after = last or (start - timedelta(seconds=1) if start else _aware(schedule.get("CreationDate")))
            times = cron_times(expression, ZoneInfo(tz), after, until)
        due = []
        for moment in times:
            due.append(moment)
            if len(due) >= MAX_FIRES_PER_RUN:
                log.warning("schedule %s: only %d occurrences fired in one run", schedule["Name"], len(due))
                break
        if due:
            self._last[schedule["Arn"]] = due[-1]
        return due

    def _after(self, schedule: dict[str, Any], now: datetime) -> None:
        """A one-time schedule that fired is deleted (ActionAfterCompletion DELETE) or remembered."""
        expression = schedule["ScheduleExpression"]
        if not expression.startswith("at("):
            return
        moment = at_time(expression, schedule.get("ScheduleExpressionTimezone") or "UTC")
        if moment > now:
            return
        if schedule.get("ActionAfterCompletion") == "DELETE":
            try:
                self._scheduler.delete_schedule(Name=schedule["Name"], GroupName=schedule["GroupName"])
            except ClientError:
                log.info("schedule %s was gone already", schedule["Name"])
        else:
            self._done.add((schedule["Arn"], moment))

    def _deliver(self, schedule: dict[str, Any], moment: datetime) -> None:
        target = schedule["Target"]
        body = _with_context(target.get("Input", "{}"), schedule["Arn"], moment)
        group = (target.get("SqsParameters") or {}).get("MessageGroupId")
        try:
            self._send(target["Arn"], body, group)
        except ClientError as err:
            log.warning("schedule %s: SQS refused the delivery: %s", schedule["Name"], err)
            dead = (target.get("DeadLetterConfig") or {}).get("Arn")
            if dead:
                self._send(dead, body, group or "scheduler", dedup=str(uuid.uuid4()))

    def _send(self, queue_arn: str, body: str, group: str | None, dedup: str | None = None) -> None:
        url = self._sqs.get_queue_url(QueueName=queue_arn.rsplit(":", 1)[-1])["QueueUrl"]
        request: dict[str, Any] = {"QueueUrl": url, "MessageBody": body}
        if group:
            request["MessageGroupId"] = group
        if dedup and url.endswith(".fifo"):
            request["MessageDeduplicationId"] = dedup
        self._sqs.send_message(**request)

    # -- real time ------------------------------------------------------------------------------
    def start(self) -> EventScheduler:
        if self._interval <= 0:
            return self

        def loop() -> None:
            while not self._stop.wait(self._interval):
                try:
                    self.run_due(datetime.now(UTC))
                except Exception:
                    log.exception("firing due schedules failed")

        self._thread = threading.Thread(target=loop, name="event-scheduler", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)


def _with_context(raw: str, arn: str, moment: datetime) -> str:
    """The input with EventBridge Scheduler's context attributes substituted."""
    values = {
        "<aws.scheduler.scheduled-time>": iso(moment),
        "<aws.scheduler.execution-id>": str(uuid.uuid4()),
        "<aws.scheduler.attempt-number>": "1",
        "<aws.scheduler.schedule-arn>": arn,
    }
    for key, value in values.items():
        raw = raw.replace(key, value)
    return raw


def _rate_times(
    period: timedelta, start: datetime | None, created: datetime | None, last: datetime | None, until: datetime
) -> Iterator[datetime]:
    """rate(): from StartDate (its first fire at the start) or one period after creation."""
    base = start or (created or until) + period
    k = 0 if last is None else int((last - base) / period) + 1
    while (moment := base + k * period) <= until:
        if last is None or moment > last:
            yield moment
        k += 1


def parse_now(body: bytes | str) -> datetime:
    """`{"now": "<ISO time>"}` (naive = UTC; absent = the real time)."""
    data = json.loads(body or "{}") or {}
    raw = data.get("now")
    if not raw:
        return datetime.now(UTC)
    moment = datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
