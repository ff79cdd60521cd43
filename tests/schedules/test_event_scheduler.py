"""The local firer: schedules kept in moto reach the SQS queue as EventBridge would send them."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import boto3
import httpx
import pytest

from amo_emulator.server import EmulatorServer, ThreadedAsgiServer
from dealcopy.records.scheduled_fire import ScheduledFire, fire_input
from dealcopy.schedules.aws_scheduler import EventBridgeScheduler, QueueTarget
from devstack.event_scheduler import EventScheduler, at_time, move_emulator_clock, rate_period
from devstack.functions import FunctionRegistry
from devstack.gateway import create_gateway
from devstack.http import HTTP
from devstack.moto_server import MotoServer
from devstack.scheduler_cron import cron_times
from devstack.template import Template
from tests.schedules.conftest import GROUP

AT = datetime(2031, 2, 28, 7, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def drain(sqs, url: str) -> list[dict]:
    out = []
    while True:
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["All"]).get("Messages", [])
        if not got:
            return out
        for message in got:
            out.append(message)
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


def firer(aws) -> EventScheduler:
    return EventScheduler(aws.client, aws.sqs, interval=0)


def test_a_one_time_schedule_fires_at_its_minute_once_and_deletes_itself(aws):
    aws.scheduler.put_once("r1-a", AT, fire_input("repeat", 31, "r1"), "31")
    fire = firer(aws)
    assert fire.run_due(AT - MINUTE) == []
    assert drain(aws.sqs, aws.queue_url) == []
    assert fire.run_due(AT) == [{"name": "r1-a", "group": GROUP, "time": "2031-02-28T07:00:00Z"}]
    [message] = drain(aws.sqs, aws.queue_url)
    body = ScheduledFire.model_validate_json(message["Body"])
    assert (body.scheduled, body.account_id, body.id, body.scheduled_at) == ("repeat", 31, "r1", AT)
    assert message["Attributes"]["MessageGroupId"] == "31"
    assert aws.scheduler.get("r1-a") is None
    assert fire.run_due(AT + MINUTE) == []


def test_a_repeated_delivery_is_dropped_by_content_deduplication(aws):
    fire = firer(aws)
    for _ in range(2):  # the same occurrence scheduled and fired twice
        aws.scheduler.put_once("r1-a", AT, fire_input("repeat", 31, "r1"), "31")
        assert len(fire.run_due(AT)) == 1
    assert len(drain(aws.sqs, aws.queue_url)) == 1


def test_disabled_and_kept_schedules(aws):
    aws.scheduler.put_once("r2-a", AT, "{}", "1")
    aws.scheduler.set_enabled("r2-a", False)
    aws.client.create_schedule(
        Name="r3-a",
        GroupName=GROUP,
        ScheduleExpression="at(2031-02-28T10:00:00)",
        ScheduleExpressionTimezone="Europe/Moscow",
        FlexibleTimeWindow={"Mode": "OFF"},
        Target={
            "Arn": aws.target.queue_arn,
            "RoleArn": "r",
            "Input": '{"k":1}',
            "SqsParameters": {"MessageGroupId": "1"},
        },
        ActionAfterCompletion="NONE",
    )
    fire = firer(aws)
    assert [f["name"] for f in fire.run_due(AT + MINUTE)] == ["r3-a"]  # 10:00 Moscow = 07:00 UTC
    assert aws.scheduler.get("r3-a") is not None and aws.scheduler.get("r2-a") is not None
    assert fire.run_due(AT + 2 * MINUTE) == []


def test_recurring_schedules_fire_every_occurrence_since_the_last(aws):
    start = datetime.now(UTC).replace(second=0, microsecond=0) + MINUTE
    aws.scheduler.put_recurring("rc-1", "rate(1 day)", "UTC", "{}", "1", start=start)
    aws.scheduler.put_recurring(
        "rc-2", "cron(0 10 L * ? *)", "Europe/Moscow", '{"t":"<aws.scheduler.scheduled-time>"}', "1", start=start
    )
    fire = firer(aws)
    fired = fire.run_due(start + timedelta(days=3))
    assert [f["time"] for f in fired if f["name"] == "rc-1"] == [
        (start + timedelta(days=d)).strftime("%Y-%m-%dT%H:%M:%SZ") for d in range(4)
    ]
    assert fire.run_due(start + timedelta(days=3)) == []
    later = fire.run_due(start + timedelta(days=100))
    month_ends = [f["time"] for f in fired + later if f["name"] == "rc-2"]
    assert len(month_ends) in (3, 4) and all(t.endswith("T07:00:00Z") for t in month_ends)
    assert len([f for f in later if f["name"] == "rc-1"]) == 97
    bodies = [json.loads(m["Body"]) for m in drain(aws.sqs, aws.queue_url)]
    assert {b["t"] for b in bodies if "t" in b} == set(month_ends)


def test_an_undeliverable_message_goes_to_the_dead_letter_queue(aws):
    strict = aws.sqs.create_queue(QueueName="no-content-dedup.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    arn = aws.sqs.get_queue_attributes(QueueUrl=strict, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    scheduler = EventBridgeScheduler(aws.client, GROUP, QueueTarget(arn, "role", aws.target.dead_letter_arn))
    scheduler.put_once("r4-a", AT, fire_input("delayed", 1, "d1"), "1")
    assert len(firer(aws).run_due(AT)) == 1
    assert drain(aws.sqs, strict) == []
    [dead] = drain(aws.sqs, aws.dlq_url)
    assert json.loads(dead["Body"])["time"] == "2031-02-28T07:00:00Z"


def test_expressions():
    assert at_time("at(2031-02-28T10:00:00)", "Europe/Moscow") == AT
    assert rate_period("rate(5 minutes)") == timedelta(minutes=5)
    with pytest.raises(ValueError):
        rate_period("rate(0 days)")
    after = datetime(2031, 1, 1, tzinfo=UTC)
    mondays = list(cron_times("cron(30 9 ? * MON *)", UTC, after, after + timedelta(days=14)))
    assert [m.isoformat() for m in mondays] == ["2031-01-06T09:30:00+00:00", "2031-01-13T09:30:00+00:00"]
    quarterly = list(cron_times("cron(0 0 1 1/3 ? *)", UTC, after, after + timedelta(days=364)))
    assert [m.month for m in quarterly] == [4, 7, 10]  # 1 Jan 00:00 itself is not after `after`
    with pytest.raises(ValueError):
        list(cron_times("cron(0 0 ? * 2#1 *)", UTC, after, after))


def test_run_due_through_the_gateway_against_moto_server_moves_the_emulator_clock():
    with MotoServer() as moto, EmulatorServer(host="127.0.0.1", port=0) as emulator:
        client = lambda service: boto3.client(service, endpoint_url=moto.url, region_name="eu-central-1")  # noqa: E731
        sqs, scheduler_client = client("sqs"), client("scheduler")
        url = sqs.create_queue(
            QueueName="copies.fifo", Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "true"}
        )["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        adapter = EventBridgeScheduler(scheduler_client, GROUP, QueueTarget(arn, "role"))
        adapter.ensure_group()
        due = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=40)
        adapter.put_once("d1-x", due, fire_input("delayed", 9, "d1"), "9")
        firer_ = EventScheduler(scheduler_client, sqs, interval=0, clock=lambda t: move_emulator_clock(emulator.url, t))
        template = Template()
        app = create_gateway(template, FunctionRegistry(template), None, firer_)
        with ThreadedAsgiServer(app, "127.0.0.1", 0) as server:
            run_due_over_http(server.url, sqs, url, adapter, emulator.url, due)


def run_due_over_http(gateway_url, sqs, url, adapter, emulator_url, due):
    gateway = httpx.Client(base_url=gateway_url, timeout=30)

    early = gateway.post("/_devstack/scheduler/run-due", json={"now": (due - MINUTE).isoformat()})
    assert early.status_code == 200 and early.json()["fired"] == []
    answer = gateway.post("/_devstack/scheduler/run-due", json={"now": due.isoformat()})
    assert [f["name"] for f in answer.json()["fired"]] == ["d1-x"]
    [message] = drain(sqs, url)
    assert ScheduledFire.model_validate_json(message["Body"]).scheduled_at == due
    assert adapter.get("d1-x") is None
    clock = HTTP.get(f"{emulator_url}/_emulator/clock").json()["now"]
    assert clock >= due.timestamp()
    assert gateway.post("/_devstack/scheduler/run-due", content=b"{bad").status_code == 400
