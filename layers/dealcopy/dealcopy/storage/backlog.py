"""An account's backlog of queued jobs, readable at once (the queue hands a worker only 10 of them).

Every queued copy-job message is also put here (one item per message, in the jobs table), so the
worker that holds the account's message group can run the account's whole backlog in one run
instead of the 10 messages SQS gave it (docs/scaling.md, "Batching per account"). The queue stays
the source of truth: an item only lets a job run earlier, and its own message still comes (then
finds the job finished). A lost or stale item costs nothing but batching; items expire after a day.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from dealcopy.records.job_message import JobMessage
from dealcopy.storage.dynamo import Table, plain

BACKLOG_TTL = 24 * 3600


def backlog_pk(account_id: int) -> str:
    return f"backlog#{account_id}"


@dataclass(frozen=True)
class Queued:
    """One backlog item: the message as queued, and its key (to drop it once its jobs have a record)."""

    sk: str
    message: JobMessage | None  # None: unreadable (its own message goes to the DLQ)


class JobBacklog:
    """`records.ports.Backlog` over the jobs table."""

    def __init__(self, table: Table, clock: Callable[[], float] = time.time) -> None:
        self._table = table
        self._clock = clock

    def add(self, messages: Sequence[JobMessage]) -> None:
        """One item per message; the sort key starts with the time queued, so a read is oldest first."""
        now = self._clock()
        self._table.write(
            [
                {
                    "pk": backlog_pk(m.account_id),
                    "sk": f"{int(now * 1000):013d}.{i:04d}#{m.dedup_id()}",  # the order of one send kept
                    "body": m.to_json(),
                    "expires_at": int(now) + BACKLOG_TTL,
                }
                for i, m in enumerate(messages)
            ]
        )

    def oldest(self, account_id: int, limit: int) -> list[Queued]:
        """Up to `limit` items of the account, oldest first (one consistent query)."""
        # Imported here: the DP hook only adds items, and its cold start must not load pydantic.
        from boto3.dynamodb.conditions import Key
        from pydantic import ValidationError

        page = self._table.raw.query(
            KeyConditionExpression=Key("pk").eq(backlog_pk(account_id)), ConsistentRead=True, Limit=limit
        )
        found = []
        for item in (plain(i) for i in page.get("Items", [])):
            try:
                found.append(Queued(item["sk"], JobMessage.from_json(item["body"])))
            except (KeyError, ValidationError):  # unreadable: its own message reaches the DLQ
                found.append(Queued(item["sk"], None))
        return found

    def count(self, account_id: int, limit: int) -> int:
        """How many items the account has, counting no further than `limit` (a cheap poll while it grows)."""
        from boto3.dynamodb.conditions import Key

        page = self._table.raw.query(
            KeyConditionExpression=Key("pk").eq(backlog_pk(account_id)),
            ConsistentRead=True,
            Limit=limit,
            Select="COUNT",
        )
        return int(page.get("Count", 0))

    def drop(self, account_id: int, sks: Sequence[str]) -> None:
        if not sks:
            return
        with self._table.raw.batch_writer() as writer:
            for sk in dict.fromkeys(sks):
                writer.delete_item(Key={"pk": backlog_pk(account_id), "sk": sk})
