"""Feeds an SQS queue to a handler the way Lambda's event source mapping does.

Batches of up to 10 records, `ReportBatchItemFailures` honoured (successes are
deleted, failures stay), and a failed record becomes visible again after
`retry_delay` seconds so that moto's redrive policy moves it to the DLQ after
`maxReceiveCount` receives. (Lambda waits for the queue's visibility timeout;
locally we shorten it so retries happen within a test.)
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("devstack.poller")


@dataclass
class PollResult:
    received: int = 0
    succeeded: int = 0
    failed: int = 0


def to_sqs_event(messages: list[dict[str, Any]], queue_arn: str, region: str) -> dict[str, Any]:
    records = []
    for msg in messages:
        attrs = msg.get("Attributes", {})
        records.append(
            {
                "messageId": msg["MessageId"],
                "receiptHandle": msg["ReceiptHandle"],
                "body": msg["Body"],
                "attributes": attrs,
                "messageAttributes": {
                    name: {
                        "stringValue": value.get("StringValue"),
                        "binaryValue": value.get("BinaryValue"),
                        "stringListValues": [],
                        "binaryListValues": [],
                        "dataType": value.get("DataType", "String"),
                    }
                    for name, value in (msg.get("MessageAttributes") or {}).items()
                },
                "md5OfBody": msg.get("MD5OfBody") or hashlib.md5(msg["Body"].encode()).hexdigest(),  # noqa: S324
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": region,
            }
        )
    return {"Records": records}


class SqsPoller:
    def __init__(
        self,
        sqs: Any,
        queue_url: str,
        handler: Callable[[dict[str, Any]], Any],
        *,
        batch_size: int = 10,
        wait_seconds: int = 1,
        retry_delay: int = 1,
        region: str = "eu-central-1",
    ) -> None:
        self._sqs = sqs
        self._url = queue_url
        self._handler = handler
        self._batch = batch_size
        self._wait = wait_seconds
        self._retry_delay = retry_delay
        self._region = region
        self._arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.totals = PollResult()

    @property
    def queue_url(self) -> str:
        return self._url

    def poll_once(self) -> PollResult:
        messages = self._sqs.receive_message(
            QueueUrl=self._url,
            MaxNumberOfMessages=self._batch,
            WaitTimeSeconds=self._wait,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if not messages:
            return PollResult()
        failed_ids = self._invoke(messages)
        done = [m for m in messages if m["MessageId"] not in failed_ids]
        if done:
            self._sqs.delete_message_batch(
                QueueUrl=self._url,
                Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)],
            )
        for msg in messages:
            if msg["MessageId"] in failed_ids:
                self._sqs.change_message_visibility(
                    QueueUrl=self._url,
                    ReceiptHandle=msg["ReceiptHandle"],
                    VisibilityTimeout=self._retry_delay,
                )
        result = PollResult(len(messages), len(done), len(messages) - len(done))
        self.totals.received += result.received
        self.totals.succeeded += result.succeeded
        self.totals.failed += result.failed
        return result

    def _invoke(self, messages: list[dict[str, Any]]) -> set[str]:
        """Message ids to retry: the reported failures, or the whole batch if the handler raised."""
        try:
            answer = self._handler(to_sqs_event(messages, self._arn, self._region))
        except Exception:
            log.exception("worker raised: the whole batch of %d will be retried", len(messages))
            return {m["MessageId"] for m in messages}
        failures = (answer or {}).get("batchItemFailures") or []
        return {f["itemIdentifier"] for f in failures}

    def start(self) -> SqsPoller:
        def loop() -> None:
            while not self._stop.is_set():
                try:
                    self.poll_once()
                except Exception:
                    log.exception("poll failed")
                    self._stop.wait(0.5)

        self._thread = threading.Thread(target=loop, name="sqs-poller", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=self._wait + 5)
