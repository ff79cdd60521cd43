"""`scheduler-dlq count|redrive`: fires EventBridge Scheduler could not deliver to the copy queue.

Each message is a schedule's input as it would have arrived (a `ScheduledFire`), with the
scheduler's reason in its attributes (`ERROR_CODE`, `ERROR_MESSAGE`). Redriving sends the body
to the copy queue in the account's message group: the worker's occurrence claim makes a fire that
did arrive after all a no-op, so a redrive never copies an occurrence twice.
"""

from __future__ import annotations

from typing import Any

REASONS = ("ERROR_CODE", "ERROR_MESSAGE")


def count(sqs: Any, url: str) -> dict[str, int]:
    attrs = sqs.get_queue_attributes(
        QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    )["Attributes"]
    return {k: int(v) for k, v in attrs.items()}


def redrive(sqs: Any, dlq_url: str, queue_url: str, *, dry_run: bool) -> dict[str, Any]:
    from pydantic import ValidationError

    from dealcopy.records.scheduled_fire import ScheduledFire

    moved, seen, unreadable, kept = 0, [], 0, []
    for _ in range(10_000):
        got = sqs.receive_message(
            QueueUrl=dlq_url, MaxNumberOfMessages=10, VisibilityTimeout=120, MessageAttributeNames=["All"]
        ).get("Messages", [])
        if not got:
            break
        for raw in got:
            try:
                fire = ScheduledFire.model_validate_json(raw["Body"])
            except ValidationError:
                unreadable += 1
                kept.append(raw["ReceiptHandle"])
                continue
            attrs = raw.get("MessageAttributes") or {}
            seen.append(
                {
                    "account_id": fire.account_id,
                    "kind": fire.scheduled,
                    "id": fire.id,
                    "time": fire.time,
                    **{k.lower(): attrs[k].get("StringValue") for k in REASONS if k in attrs},
                }
            )
            if dry_run:
                kept.append(raw["ReceiptHandle"])
                continue
            sqs.send_message(
                QueueUrl=queue_url,
                MessageBody=raw["Body"],
                MessageGroupId=str(fire.account_id),
                MessageDeduplicationId=f"sdlq-{raw['MessageId']}"[:128],
            )
            sqs.delete_message(QueueUrl=dlq_url, ReceiptHandle=raw["ReceiptHandle"])
            moved += 1
    for handle in kept:
        sqs.change_message_visibility(QueueUrl=dlq_url, ReceiptHandle=handle, VisibilityTimeout=0)
    return {"moved": moved, "unreadable": unreadable, "dry_run": dry_run, "fires": seen}
