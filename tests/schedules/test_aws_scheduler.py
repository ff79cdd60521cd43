"""The EventBridge Scheduler adapter against moto: what a schedule carries, and idempotent writes."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from dealcopy.records.schedule_ids import repeat_id, schedule_name, schedule_prefix
from dealcopy.records.scheduled_fire import SCHEDULED_TIME, fire_input
from tests.schedules.conftest import GROUP

AT = datetime(2031, 2, 28, 7, 0, tzinfo=UTC)


def test_one_time_schedule_targets_the_fifo_queue_of_the_account(aws):
    owner = repeat_id(31, "key")
    name = schedule_name(owner, AT)
    aws.scheduler.put_once(name, AT, fire_input("repeat", 31, owner), "31")
    got = aws.client.get_schedule(Name=name, GroupName=GROUP)
    assert got["ScheduleExpression"] == "at(2031-02-28T07:00:00)"
    assert got["ScheduleExpressionTimezone"] == "UTC"
    assert got["ActionAfterCompletion"] == "DELETE"
    assert got["FlexibleTimeWindow"] == {"Mode": "OFF"}
    target = got["Target"]
    assert target["Arn"] == aws.target.queue_arn and target["RoleArn"] == aws.target.role_arn
    assert target["SqsParameters"] == {"MessageGroupId": "31"}
    assert target["DeadLetterConfig"] == {"Arn": aws.target.dead_letter_arn}
    assert target["RetryPolicy"]["MaximumRetryAttempts"] == 185
    assert json.loads(target["Input"]) == {
        "v": 1,
        "scheduled": "repeat",
        "account_id": 31,
        "id": owner,
        "time": SCHEDULED_TIME,
    }
    assert len(name) <= 64


def test_creating_twice_updates_in_place(aws):
    aws.scheduler.put_once("r1-x", AT, fire_input("repeat", 1, "r1"), "1")
    aws.scheduler.put_once("r1-x", AT.replace(hour=8), fire_input("repeat", 1, "r1"), "1")
    assert [s.name for s in aws.scheduler.list("r1-")] == ["r1-x"]
    assert aws.scheduler.get("r1-x").expression == "at(2031-02-28T08:00:00)"


def test_pause_resume_delete_and_list_by_prefix(aws):
    aws.scheduler.put_once("ra-1", AT, "{}", "1")
    aws.scheduler.put_once("ra-2", AT, "{}", "1")
    aws.scheduler.put_once("rb-1", AT, "{}", "1")
    assert [s.name for s in aws.scheduler.list(schedule_prefix("ra"))] == ["ra-1", "ra-2"]
    assert aws.scheduler.set_enabled("ra-1", False) is True
    paused = aws.client.get_schedule(Name="ra-1", GroupName=GROUP)
    assert paused["State"] == "DISABLED" and paused["Target"]["SqsParameters"] == {"MessageGroupId": "1"}
    assert [s.enabled for s in aws.scheduler.list("ra-")] == [False, True]
    assert aws.scheduler.set_enabled("ra-1", True) is True
    assert aws.scheduler.get("ra-1").enabled
    assert aws.scheduler.delete("ra-1") is True
    assert aws.scheduler.delete("ra-1") is False
    assert aws.scheduler.set_enabled("ra-1", True) is False
    assert aws.scheduler.get("ra-1") is None
    assert [s.name for s in aws.scheduler.list("ra-")] == ["ra-2"]


def test_recurring_schedule_keeps_its_zone(aws):
    aws.scheduler.put_recurring("rc-1", "cron(0 10 L * ? *)", "Europe/Moscow", "{}", "5")
    got = aws.client.get_schedule(Name="rc-1", GroupName=GROUP)
    assert (got["ScheduleExpression"], got["ScheduleExpressionTimezone"]) == ("cron(0 10 L * ? *)", "Europe/Moscow")
    assert got.get("ActionAfterCompletion") in (None, "NONE")
