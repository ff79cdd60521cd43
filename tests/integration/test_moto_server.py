"""The local AWS (`devstack.moto_server`): FIFO delivery under concurrent pollers, and long polls.

moto's queues are not thread-safe, and its long poll spins through the queue; the local server
serialises SQS and answers long polls as short polls under its lock. These tests hold it to what
SQS promises the worker: every message once, in order within its group, nothing stranded in flight.
"""

from __future__ import annotations

import json
import threading
import time

import boto3
import pytest

from tests.integration.conftest import unique

GROUPS, PER_GROUP, CONSUMERS = 20, 10, 5


@pytest.fixture
def sqs(moto_url):
    return boto3.client("sqs", endpoint_url=moto_url)


def _fifo(sqs) -> str:
    return sqs.create_queue(QueueName=f"{unique('q')}.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]


def test_concurrent_fifo_consumers_get_every_message_once_in_group_order(sqs):
    url = _fifo(sqs)
    for seq in range(PER_GROUP):
        entries = [
            {
                "Id": str(group),
                "MessageBody": json.dumps({"group": group, "seq": seq}),
                "MessageGroupId": f"g{group}",
                "MessageDeduplicationId": f"{group}-{seq}",
            }
            for group in range(GROUPS)
        ]
        sqs.send_message_batch(QueueUrl=url, Entries=entries[:10])
        sqs.send_message_batch(QueueUrl=url, Entries=entries[10:])
    received: list[dict[str, int]] = []
    lock = threading.Lock()

    def consume() -> None:
        idle_polls = 0
        while idle_polls < 2:
            messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
            idle_polls = 0 if messages else idle_polls + 1
            with lock:  # before the delete: the group stays locked until then, so this is its delivery order
                received.extend(json.loads(m["Body"]) for m in messages)
            if messages:
                entries = [{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)]
                sqs.delete_message_batch(QueueUrl=url, Entries=entries)

    consumers = [threading.Thread(target=consume) for _ in range(CONSUMERS)]
    for consumer in consumers:
        consumer.start()
    for consumer in consumers:
        consumer.join(timeout=60)

    assert sorted((m["group"], m["seq"]) for m in received) == [
        (g, s) for g in range(GROUPS) for s in range(PER_GROUP)
    ]  # every message, once
    for group in range(GROUPS):
        assert [m["seq"] for m in received if m["group"] == group] == list(range(PER_GROUP))
    counts = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert counts["ApproximateNumberOfMessages"] == "0"
    assert counts["ApproximateNumberOfMessagesNotVisible"] == "0"  # nothing stranded in flight


def test_a_long_poll_answers_when_a_message_arrives_and_holds_nobody_up(sqs):
    url = _fifo(sqs)
    answer: dict[str, object] = {}

    def long_poll() -> None:
        started = time.monotonic()
        answer["messages"] = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=5).get("Messages", [])
        answer["returned"] = time.monotonic()
        answer["took"] = answer["returned"] - started

    poller = threading.Thread(target=long_poll)
    poller.start()
    time.sleep(0.5)  # the poll is waiting: other SQS calls still go through
    started = time.monotonic()
    sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])
    sqs.send_message(QueueUrl=url, MessageBody="hello", MessageGroupId="g", MessageDeduplicationId="1")
    sent = time.monotonic()
    poller.join(timeout=10)

    assert sent - started < 1.0  # not held up for the poll's 5 s
    assert [m["Body"] for m in answer["messages"]] == ["hello"]
    assert answer["returned"] - sent < 1.0  # answered once the message was there, not at the end of the wait
    assert answer["took"] < 4.0


def test_an_idle_long_poll_looks_at_the_queue_a_few_times_a_second(sqs, monkeypatch):
    """An idle local stack's poller must not spin: it waits for the next SQS change, rechecking now and then."""
    from devstack.moto_server import _SqsLongPoll

    polls: list[float] = []
    original = _SqsLongPoll._poll

    def counted(self, environ):
        polls.append(time.monotonic())
        return original(self, environ)

    monkeypatch.setattr(_SqsLongPoll, "_poll", counted)
    url = _fifo(sqs)
    started = time.monotonic()
    assert sqs.receive_message(QueueUrl=url, WaitTimeSeconds=2).get("Messages", []) == []

    assert time.monotonic() - started >= 1.9  # the whole wait
    assert 2 <= len(polls) <= 2 / _SqsLongPoll.RECHECK + 2  # about 10, where it used to be 100


def test_sends_leave_the_queues_counts_right(sqs):
    """Sends skip computing the message counts (`_sends_without_counting`); the counts a caller asks for stay true."""
    url = _fifo(sqs)
    sqs.send_message(QueueUrl=url, MessageBody="one", MessageGroupId="g", MessageDeduplicationId="1")
    sqs.send_message_batch(
        QueueUrl=url,
        Entries=[
            {"Id": str(i), "MessageBody": f"b{i}", "MessageGroupId": "g", "MessageDeduplicationId": f"b{i}"}
            for i in range(3)
        ],
    )
    sqs.send_message(QueueUrl=url, MessageBody="again", MessageGroupId="g", MessageDeduplicationId="1")  # a duplicate

    counts = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert counts["ApproximateNumberOfMessages"] == "4"
    assert counts["ContentBasedDeduplication"] == "false"
