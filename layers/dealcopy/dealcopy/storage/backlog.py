"""An account's backlog of queued jobs, readable at once (the queue hands a worker only 10 of them).

Every queued copy-job message is also put here (one item per message, in the jobs table), so the
worker that holds the account's message group can run the account's whole backlog in one run
instead of the 10 messages SQS gave it (docs/scaling.md, "Batching per account"). The queue stays
the source of truth: an item only lets a job run earlier, and its own message still comes (then
finds the job finished). A lost or stale item costs nothing but batching; items expire after a day.

A schedule's fire (a repeat's occurrence, a delayed copy) is put here when it is armed, under its due
time: EventBridge Scheduler sends it to the queue by itself, one message per fire, so the fires of
one minute would otherwise run 10 at a time. A read takes only items due by its horizon.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from dealcopy.records.job_message import JobMessage
from dealcopy.storage.dynamo import Table, plain

BACKLOG_TTL = 24 * 3600


def backlog_pk(account_id: int) -> str:
    return f"backlog#{account_id}"


def _millis(moment: float) -> str:
    """The sort key's time part: 13 digits of milliseconds, so the keys sort by time."""
    return f"{int(moment * 1000):013d}"


@dataclass(frozen=True)
class Queued:
    """One backlog item: the message as queued, and its key (to drop it once its jobs have a record)."""

    sk: str
    message: JobMessage | None  # None: unreadable (its own message goes to the DLQ), or a fire
    fire: str | None = None  # a schedule's fire as the scheduler will deliver it (then `message` is None)


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
                    "sk": f"{_millis(now)}.{i:04d}#{m.dedup_id()}",  # the order of one send kept
                    "body": m.to_json(),
                    "expires_at": int(now) + BACKLOG_TTL,
                }
                for i, m in enumerate(messages)
            ]
        )

    def add_fire(self, account_id: int, due: datetime, body: str, name: str) -> None:
        """A schedule's fire, readable from its due time on (`name`: the schedule's, one item per occurrence)."""
        at = due.timestamp()
        self._table.write(
            [
                {
                    "pk": backlog_pk(account_id),
                    "sk": f"{_millis(at)}.fire#{name}",
                    "fire": body,
                    "expires_at": int(at) + BACKLOG_TTL,
                }
            ]
        )

    def oldest(self, account_id: int, limit: int, horizon: float | None = None) -> list[Queued]:
        """Up to `limit` items of the account due by `horizon` (default: now), oldest first (one consistent query)."""
        # Imported here: the DP hook only adds items, and its cold start must not load pydantic.
        from pydantic import ValidationError

        page = self._table.raw.query(**self._due(account_id, horizon), ConsistentRead=True, Limit=limit)
        found = []
        for item in (plain(i) for i in page.get("Items", [])):
            if "fire" in item:
                found.append(Queued(item["sk"], None, fire=str(item["fire"])))
                continue
            try:
                found.append(Queued(item["sk"], JobMessage.from_json(item["body"])))
            except (KeyError, ValidationError):  # unreadable: its own message reaches the DLQ
                found.append(Queued(item["sk"], None))
        return found

    def count(self, account_id: int, limit: int, horizon: float | None = None) -> int:
        """How many items of the account are due by `horizon`, counting no further than `limit` (a cheap poll)."""
        page = self._table.raw.query(**self._due(account_id, horizon), ConsistentRead=True, Limit=limit, Select="COUNT")
        return int(page.get("Count", 0))

    def _due(self, account_id: int, horizon: float | None) -> dict[str, object]:
        """The key condition of the account's items due by `horizon` (fires armed for later are not yet)."""
        from boto3.dynamodb.conditions import Key

        until = f"{_millis(self._clock() if horizon is None else horizon)}~"  # "~" sorts after ".": the whole ms
        return {"KeyConditionExpression": Key("pk").eq(backlog_pk(account_id)) & Key("sk").lte(until)}

    def drop(self, account_id: int, sks: Sequence[str]) -> None:
        if not sks:
            return
        with self._table.raw.batch_writer() as writer:
            for sk in dict.fromkeys(sks):
                writer.delete_item(Key={"pk": backlog_pk(account_id), "sk": sk})
