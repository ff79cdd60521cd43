"""Fixtures: in-process moto with the template's jobs table, plus a schedule group and a copy
queue with content-based de-duplication (what EventBridge Scheduler needs of a FIFO target)."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

import boto3
import pytest

from dealcopy.records.copy_delay import Delay
from dealcopy.records.job import DpEvent
from dealcopy.records.schedule import PendingCopy
from dealcopy.records.schedule_ids import pending_id
from dealcopy.schedules.aws_scheduler import EventBridgeScheduler, QueueTarget
from tests.support.aws import mocked_aws

GROUP = "dealcopy-unit-copies"


@pytest.fixture
def aws():
    with mocked_aws("unit") as aws:
        sqs = aws.sqs
        dlq = sqs.create_queue(QueueName="scheduler-dlq")["QueueUrl"]
        queue = sqs.create_queue(
            QueueName="scheduled-copies.fifo",
            Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "true"},
        )["QueueUrl"]
        arn = lambda url: sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]  # noqa: E731
        client = boto3.client("scheduler")
        target = QueueTarget(
            queue_arn=arn(queue), role_arn="arn:aws:iam::123456789012:role/scheduler", dead_letter_arn=arn(dlq)
        )
        scheduler = EventBridgeScheduler(client, GROUP, target)
        scheduler.ensure_group()
        yield SimpleNamespace(
            **vars(aws), client=client, scheduler=scheduler, target=target, queue_url=queue, dlq_url=dlq
        )


def make_pending(
    due: datetime, *, field_id: int = 7001, cancel_if_closed: bool = True, event_time: int = 0
) -> PendingCopy:
    """A delayed copy of lead 101 (account 7), due 30 days before the date in `field_id`."""
    delay = {"field": {"field_id": field_id, "offset_days": -30, "at": "10:00"}, "cancel_if_closed": cancel_if_closed}
    return PendingCopy(
        account_id=7,
        pending_id=pending_id(7, "dp-1"),
        job_id="dp-1",
        lead_id=101,
        rule="{}",
        rule_hash="h",
        event=DpEvent(pipeline_id=1, status_id=5, time=event_time),
        delay=Delay.model_validate(delay),
        due_at=due,
        timezone="Europe/Moscow",
    )
