"""Runs the template's scheduled functions locally (moto's EventBridge never fires a schedule).

Every `Type: Schedule` event of template.yaml becomes a thread that invokes its function with
the event EventBridge would send, at the template's rate (`rate(5 minutes)`) unless the stack
was given another interval (0 = only on demand). `run_now(logical_id)` invokes one at once:
the gateway exposes it as `POST /_devstack/schedule/{LogicalId}` for tests and the demo.

`run_due(now)` is the simulated clock's side (`POST /_devstack/scheduler/run-due`): every scheduled
function whose rate falls due between its last run and `now` runs once, with the event's `time` set
to its latest due occurrence. Occurrences of one call are coalesced into that one run: each of our
periodic jobs acts on everything due at the time it is given (the keep-alive on every pair older
than its threshold, the catch-up on every event since its checkpoint), so one run does what the
missed ones would have, and a year of 15-day steps stays a few dozen invocations.
"""

from __future__ import annotations

import logging
import re
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from devstack.template import Template

log = logging.getLogger("devstack.scheduler")
_UNITS = {"minute": 60, "minutes": 60, "hour": 3600, "hours": 3600, "day": 86400, "days": 86400}


def rate_seconds(expression: str) -> float:
    """`rate(5 minutes)` -> 300; cron expressions are not emulated (None of ours use them)."""
    found = re.fullmatch(r"\s*rate\(\s*(\d+)\s+(\w+)\s*\)\s*", expression)
    if not found or found.group(2) not in _UNITS:
        raise ValueError(f"unsupported schedule expression {expression!r}")
    return int(found.group(1)) * _UNITS[found.group(2)]


def scheduled_event(
    rule_name: str, region: str, account: str = "000000000000", at: datetime | None = None
) -> dict[str, Any]:
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": account,
        "time": (at or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": region,
        "resources": [f"arn:aws:events:{region}:{account}:rule/{rule_name}"],
        "detail": {},
    }


def schedules(template: Template) -> dict[str, float]:
    """Logical id of each scheduled function -> its period in seconds."""
    found = {}
    for name, fn in template.of_type("AWS::Serverless::Function").items():
        for event in (fn["Properties"].get("Events") or {}).values():
            if event["Type"] in ("Schedule", "ScheduleV2") and event["Properties"].get("Enabled", True):
                expression = event["Properties"].get("Schedule") or event["Properties"].get("ScheduleExpression")
                found[name] = rate_seconds(expression)
    return found


class Scheduler:
    def __init__(
        self,
        template: Template,
        invoke: Callable[[str, dict[str, Any]], Any],
        *,
        interval: float | None = None,
        region: str = "eu-central-1",
    ) -> None:
        self._periods = schedules(template)
        self._invoke = invoke
        self._interval = interval
        self._region = region
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._locks = {name: threading.Lock() for name in self._periods}
        started = datetime.now(UTC)
        self._last = dict.fromkeys(self._periods, started)  # the latest occurrence each one ran for

    @property
    def functions(self) -> list[str]:
        return sorted(self._periods)

    def run_now(self, logical_id: str, at: datetime | None = None) -> Any:
        if logical_id not in self._periods:
            raise KeyError(logical_id)
        with self._locks[logical_id]:  # like one EventBridge target: runs never overlap locally
            return self._invoke(logical_id, scheduled_event(f"{logical_id}-schedule", self._region, at=at))

    def run_due(self, now: datetime) -> list[dict[str, Any]]:
        """Run each scheduled function due since its last occurrence once, at its latest due time."""
        ran = []
        for name, period in sorted(self._periods.items()):
            last = self._last[name]
            count = int((now - last).total_seconds() // period)
            if count < 1:
                continue
            moment = last + timedelta(seconds=count * period)
            self._last[name] = moment
            result = self.run_now(name, at=moment)
            ran.append(
                {
                    "function": name,
                    "time": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "occurrences": count,
                    "result": result,
                }
            )
        return ran

    def start(self) -> Scheduler:
        for name, period in self._periods.items():
            every = period if self._interval is None else self._interval
            if every <= 0:
                continue

            def loop(name: str = name, every: float = every) -> None:
                while not self._stop.wait(every):
                    try:
                        self.run_now(name)
                    except Exception:
                        log.exception("scheduled run of %s failed", name)

            thread = threading.Thread(target=loop, name=f"schedule-{name}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=5)
