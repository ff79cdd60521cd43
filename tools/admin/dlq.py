"""`jobs failed` and `dlq count|redrive`: why copy jobs failed, and sending them back after a fix."""

from __future__ import annotations

import time
from typing import Any


def describe_job(record: Any) -> dict[str, Any]:
    error = record.error or record.last_error
    return {
        "account_id": record.account_id,
        "job_id": record.job_id,
        "trigger": record.trigger,
        "origin": record.origin,
        "lead_id": record.lead_id,
        "state": record.state.value,
        "failed_in": record.failed_from.value if record.failed_from else None,
        "attempts": record.attempts,
        "code": error.code if error else None,
        "reason_ru": error.message_ru if error else None,
        "reason_en": error.message_en if error else None,
        "note_on_source": record.note_written,
        "in_dlq": record.dead_lettered,
        "copy_id": record.copy_id,
        "updated": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(record.updated_at)),
    }


def count(sqs: Any, dlq_url: str) -> dict[str, int]:
    attrs = sqs.get_queue_attributes(
        QueueUrl=dlq_url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    )["Attributes"]
    return {k: int(v) for k, v in attrs.items()}


def redrive(store: Any, sqs: Any, dlq_url: str, queue_url: str, *, account_id: int | None, dry_run: bool) -> dict:
    """Move DLQ messages back to the copy queue; their failed jobs resume where they failed.

    FIFO: a group's next messages appear only once its earlier ones are deleted, so the loop
    receives, re-sends and deletes until nothing of interest is left. Messages skipped (other
    accounts, unreadable, dry run) are made visible again at the end.
    """
    from pydantic import ValidationError

    from dealcopy.jobs.queue import JobQueue
    from dealcopy.records.job import JobMessage

    queue = JobQueue(sqs, queue_url, dlq_url)
    moved, jobs_reset, skipped = 0, 0, []
    stamp = int(time.time() * 1000)
    for _ in range(10_000):
        got = sqs.receive_message(QueueUrl=dlq_url, MaxNumberOfMessages=10, VisibilityTimeout=120).get("Messages", [])
        if not got:
            break
        progress = False
        for raw in got:
            try:
                message = JobMessage.from_json(raw["Body"])
            except ValidationError:
                skipped.append(raw["ReceiptHandle"])
                continue
            if dry_run or (account_id is not None and message.account_id != account_id):
                skipped.append(raw["ReceiptHandle"])
                continue
            jobs_reset += len(store.reset_for_redrive(message.account_id, [j.job_id for j in message.jobs]))
            queue.send([message.but(origin="redrive", failure=None)], dedup_suffix=f"-rd{stamp}")
            sqs.delete_message(QueueUrl=dlq_url, ReceiptHandle=raw["ReceiptHandle"])
            moved += 1
            progress = True
        if not progress:
            break
    for handle in skipped:
        sqs.change_message_visibility(QueueUrl=dlq_url, ReceiptHandle=handle, VisibilityTimeout=0)
    return {"moved": moved, "jobs_reset": jobs_reset, "left_in_dlq": len(skipped), "dry_run": dry_run}
