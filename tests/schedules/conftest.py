"""Fixtures: in-process moto with the template's jobs table, plus a schedule group and a copy
queue with content-based de-duplication (what EventBridge Scheduler needs of a FIFO target)."""

from __future__ import annotations

from types import SimpleNamespace

import boto3
import pytest

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
