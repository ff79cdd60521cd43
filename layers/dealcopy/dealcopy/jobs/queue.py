"""The copy-jobs queue (SQS FIFO): message group = account, de-duplication id = the job's id.

The group serialises each account (one batch in flight per account, so its 7 req/s are
never shared by two workers); the de-duplication id makes a repeated hook, or a hook plus
the catch-up, one message within SQS's 5-minute window. Beyond that window the job record
in DynamoDB is what keeps it to one copy.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any, Protocol

from dealcopy.observability import logger
from dealcopy.records.job_message import JobMessage


class BacklogWriter(Protocol):
    """Where queued messages are also put, so a worker can run an account's backlog at once (`storage.backlog`)."""

    def add(self, messages: Sequence[JobMessage]) -> None: ...


class QueueError(Exception):
    """SQS refused some messages (nothing was acknowledged to the caller)."""


class JobQueue:
    def __init__(self, sqs: Any, queue_url: str, dlq_url: str = "", backlog: BacklogWriter | None = None) -> None:
        self._sqs = sqs
        self._url = queue_url
        self._dlq = dlq_url
        self._backlog = backlog

    def send(self, messages: Sequence[JobMessage], *, dedup_suffix: str = "") -> None:
        self._send(self._url, messages, dedup_suffix)
        if self._backlog is None or not messages:
            return
        try:  # queued already: the backlog only lets the jobs run in bigger batches
            self._backlog.add(messages)
        except Exception:
            logger.warning("could not add queued jobs to the account's backlog", exc_info=True)

    def dead_letter(self, message: JobMessage) -> None:
        """Put a finally failed job where operators look (the DLQ), with why it failed."""
        self._send(self._dlq, [message], f"-dead-{int(time.time() * 1000)}")

    def dead_letter_raw(self, body: str, group: str, message_id: str) -> None:
        """A message we cannot even read: kept as it came, for an operator to look at."""
        self._sqs.send_message(
            QueueUrl=self._dlq,
            MessageBody=body or "(empty)",
            MessageGroupId=group,
            MessageDeduplicationId=f"raw-{message_id}"[:128],
        )

    def recycle(self, message: JobMessage) -> None:
        """Queue jobs again as a fresh message (its receive count starts over)."""
        self._send(self._url, [message.but(origin="recycle")], f"-r{int(time.time() * 1000)}")

    def delay(self, receipt_handle: str, seconds: int) -> None:
        """Backoff before the next delivery of a failed message (Lambda would wait the full visibility timeout)."""
        self._sqs.change_message_visibility(QueueUrl=self._url, ReceiptHandle=receipt_handle, VisibilityTimeout=seconds)

    def _send(self, url: str, messages: Sequence[JobMessage], suffix: str) -> None:
        for start in range(0, len(messages), 10):
            part = messages[start : start + 10]
            answer = self._sqs.send_message_batch(
                QueueUrl=url,
                Entries=[
                    {
                        "Id": str(i),
                        "MessageBody": m.to_json(),
                        "MessageGroupId": str(m.account_id),
                        "MessageDeduplicationId": (m.dedup_id() + suffix)[:128],
                    }
                    for i, m in enumerate(part)
                ],
            )
            if answer.get("Failed"):
                raise QueueError(f"SQS refused {len(answer['Failed'])} message(s): {answer['Failed'][0]}")
