"""Adapter: schedules on Amazon EventBridge Scheduler (boto3 `scheduler`) that send to the copy queue.

Every schedule targets the SQS FIFO copy queue: `SqsParameters.MessageGroupId` = the account
(the same group as its DP jobs), the scheduler's role may only send there, a retry policy and
a dead-letter queue catch deliveries that keep failing. The scheduler cannot set a message
de-duplication id, so the queue must have content-based de-duplication enabled.

Writes are create-or-update (`ConflictException` -> `UpdateSchedule`), so with deterministic
names a repeated request is harmless. One-time schedules are `at(...)` in UTC (we resolve the
account's local time ourselves, DST included), `FlexibleTimeWindow` OFF (exact minute) and
`ActionAfterCompletion: DELETE`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError

from dealcopy.schedules.ports import ScheduleInfo

_CARRIED = (
    "Name",
    "GroupName",
    "ScheduleExpression",
    "ScheduleExpressionTimezone",
    "FlexibleTimeWindow",
    "Target",
    "ActionAfterCompletion",
    "StartDate",
    "EndDate",
    "Description",
    "KmsKeyArn",
)


@dataclass(frozen=True)
class QueueTarget:
    queue_arn: str
    role_arn: str
    dead_letter_arn: str | None = None
    max_event_age_seconds: int = 86400  # a copy a few hours late still beats none; then the DLQ
    max_retry_attempts: int = 185


def _code(err: ClientError) -> str:
    return err.response.get("Error", {}).get("Code", "")


class EventBridgeScheduler:
    def __init__(self, client: Any, group: str, target: QueueTarget) -> None:
        self._client = client
        self._group = group
        self._target = target

    def put_once(self, name: str, at: datetime, input: str, group_id: str) -> None:
        expression = f"at({at.astimezone(UTC):%Y-%m-%dT%H:%M:%S})"
        self._upsert(name, expression, "UTC", input, group_id, ActionAfterCompletion="DELETE")

    def put_recurring(
        self,
        name: str,
        expression: str,
        timezone: str,
        input: str,
        group_id: str,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
    ) -> None:
        self._upsert(name, expression, timezone, input, group_id, StartDate=start, EndDate=end)

    def set_enabled(self, name: str, enabled: bool) -> bool:
        """UpdateSchedule replaces the whole schedule, so everything else is carried over."""
        current = self._get(name)
        if current is None:
            return False
        request = {key: current[key] for key in _CARRIED if current.get(key) is not None}
        self._client.update_schedule(**request, State="ENABLED" if enabled else "DISABLED")
        return True

    def delete(self, name: str) -> bool:
        try:
            self._client.delete_schedule(Name=name, GroupName=self._group)
        except ClientError as err:
            if _code(err) == "ResourceNotFoundException":
                return False
            raise
        return True

    def get(self, name: str) -> ScheduleInfo | None:
        found = self._get(name)
        return _info(found) if found else None

    def list(self, prefix: str) -> list[ScheduleInfo]:
        out: list[ScheduleInfo] = []
        filters = {"GroupName": self._group} | ({"NamePrefix": prefix} if prefix else {})
        for page in self._client.get_paginator("list_schedules").paginate(**filters):
            # moto ignores NamePrefix in some versions: filter here as well
            out.extend(_info(s) for s in page.get("Schedules", []) if s["Name"].startswith(prefix))
        return sorted(out, key=lambda info: info.name)

    def ensure_group(self) -> None:
        """The template declares the group in AWS; the local stack and tests create it here."""
        try:
            self._client.get_schedule_group(Name=self._group)
        except ClientError as err:
            if _code(err) != "ResourceNotFoundException":
                raise
            self._client.create_schedule_group(Name=self._group)

    def _get(self, name: str) -> dict[str, Any] | None:
        try:
            return self._client.get_schedule(Name=name, GroupName=self._group)
        except ClientError as err:
            if _code(err) == "ResourceNotFoundException":
                return None
            raise

    def _upsert(self, name: str, expression: str, timezone: str, input: str, group_id: str, **extra: Any) -> None:
        request = {
            "Name": name,
            "GroupName": self._group,
            "ScheduleExpression": expression,
            "ScheduleExpressionTimezone": timezone,
            "FlexibleTimeWindow": {"Mode": "OFF"},
            "State": "ENABLED",
            "Target": self._target_of(input, group_id),
            **{key: value for key, value in extra.items() if value is not None},
        }
        try:
            self._client.create_schedule(**request)
        except ClientError as err:
            if _code(err) != "ConflictException":
                raise
            self._client.update_schedule(**request)

    def _target_of(self, input: str, group_id: str) -> dict[str, Any]:
        target: dict[str, Any] = {
            "Arn": self._target.queue_arn,
            "RoleArn": self._target.role_arn,
            "Input": input,
            "SqsParameters": {"MessageGroupId": group_id},
            "RetryPolicy": {
                "MaximumEventAgeInSeconds": self._target.max_event_age_seconds,
                "MaximumRetryAttempts": self._target.max_retry_attempts,
            },
        }
        if self._target.dead_letter_arn:
            target["DeadLetterConfig"] = {"Arn": self._target.dead_letter_arn}
        return target


def _info(schedule: dict[str, Any]) -> ScheduleInfo:
    return ScheduleInfo(
        name=schedule["Name"],
        enabled=schedule.get("State", "ENABLED") == "ENABLED",
        expression=schedule.get("ScheduleExpression", ""),
        timezone=schedule.get("ScheduleExpressionTimezone", ""),
    )
