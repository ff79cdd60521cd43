"""The local event-source mapping: batches, partial failures, redrive to the DLQ."""

import json

from devstack.poller import SqsPoller


def _send(aws, bodies, group="acc-1"):
    queue = aws.provisioned.physical["CopyJobsQueue"]
    for i, body in enumerate(bodies):
        aws.sqs.send_message(
            QueueUrl=queue,
            MessageBody=json.dumps(body),
            MessageGroupId=group,
            MessageDeduplicationId=f"{group}-{i}",
        )
    return queue


def _dlq_bodies(aws):
    dlq = aws.provisioned.physical["CopyJobsDeadLetterQueue"]
    messages = aws.sqs.receive_message(QueueUrl=dlq, MaxNumberOfMessages=10).get("Messages", [])
    return [json.loads(m["Body"]) for m in messages]


def test_failed_records_are_retried_then_dead_lettered_while_successes_are_deleted(aws):
    queue = _send(aws, [{"n": 1}, {"n": 2, "fail": True}, {"n": 3}])
    seen: list[int] = []

    def handler(event):
        failures = []
        for record in event["Records"]:
            body = json.loads(record["body"])
            seen.append(body["n"])
            assert record["eventSource"] == "aws:sqs" and record["attributes"]["MessageGroupId"] == "acc-1"
            if body.get("fail"):
                failures.append({"itemIdentifier": record["messageId"]})
        return {"batchItemFailures": failures}

    poller = SqsPoller(aws.sqs, queue, handler, wait_seconds=0, retry_delay=0)
    for _ in range(10):
        poller.poll_once()
    assert seen.count(1) == 1 and seen.count(3) == 1
    assert seen.count(2) == 5  # maxReceiveCount of the template's redrive policy
    assert _dlq_bodies(aws) == [{"n": 2, "fail": True}]
    assert poller.totals.succeeded == 2


def test_a_raising_handler_fails_the_whole_batch(aws):
    queue = _send(aws, [{"n": 1}, {"n": 2}])
    calls = []

    def handler(event):
        calls.append(len(event["Records"]))
        if len(calls) == 1:
            raise RuntimeError("boom")
        return {"batchItemFailures": []}

    poller = SqsPoller(aws.sqs, queue, handler, wait_seconds=0, retry_delay=0)
    first = poller.poll_once()
    assert first.failed == first.received == 2
    while poller.poll_once().received:
        pass
    assert poller.totals.succeeded == 2
    assert _dlq_bodies(aws) == []
