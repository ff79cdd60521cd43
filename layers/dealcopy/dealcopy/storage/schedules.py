"""Repeats, pending delayed copies and occurrence claims, in the jobs table under their own keys.

| pk | sk | item |
|---|---|---|
| `sched#{account}` | `repeat#{repeat_id}` | a repeat (`data` = JSON of `Repeat`; `lead_id`, `state` to filter) |
| `sched#{account}` | `pending#{pending_id}` | a delayed DP copy waiting for its due time |
| `sched#{account}` | `fired#{owner}#{yyyymmddThhmm}` | one occurrence was delivered (conditional put) |
| `sched#{account}` | `cancelled#{pending_id}` | a cancelled delayed copy: never planned again |

A repeat or pending copy changes only through its own account's requests and its own fires,
which the FIFO group serialises; the claim is the one item two deliveries may race for.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from boto3.dynamodb.conditions import Attr, Key

from dealcopy.records.schedule import PendingCopy, Repeat, RepeatState
from dealcopy.records.schedule_ids import stamp
from dealcopy.storage.dynamo import applied

DAY = 86400
CLAIM_TTL = 400 * DAY  # longer than any gap between two deliveries of one occurrence
ENDED_REPEAT_TTL = 180 * DAY
PENDING_GRACE = 30 * DAY


def _pk(account_id: int) -> str:
    return f"sched#{account_id}"


class ScheduleRepository:
    def __init__(self, table: Any) -> None:
        self._table = table

    # --- repeats ---------------------------------------------------------------------------

    def create_repeat(self, repeat: Repeat) -> tuple[Repeat, bool]:
        item = self._repeat_item(repeat)
        if applied(self._table.put_item, Item=item, ConditionExpression="attribute_not_exists(sk)"):
            return repeat, True
        existing = self.get_repeat(repeat.account_id, repeat.repeat_id)
        assert existing is not None  # it existed a moment ago, and repeats are deleted only by their account
        return existing, False

    def get_repeat(self, account_id: int, repeat_id: str) -> Repeat | None:
        item = self._table.get_item(Key={"pk": _pk(account_id), "sk": f"repeat#{repeat_id}"}).get("Item")
        return Repeat.model_validate_json(item["data"]) if item else None

    def list_repeats(self, account_id: int, lead_id: int | None = None) -> list[Repeat]:
        items = self._query(account_id, "repeat#", lead_id)
        return sorted((Repeat.model_validate_json(i["data"]) for i in items), key=lambda r: r.created_at)

    def save_repeat(self, repeat: Repeat) -> None:
        repeat.updated_at = time.time()
        self._table.put_item(Item=self._repeat_item(repeat))

    def delete_repeat(self, account_id: int, repeat_id: str) -> bool:
        return self._delete(account_id, f"repeat#{repeat_id}")

    # --- occurrences ------------------------------------------------------------------------

    def claim_occurrence(self, account_id: int, owner_id: str, scheduled: datetime, job_id: str) -> bool:
        now = int(time.time())
        item = {
            "pk": _pk(account_id),
            "sk": f"fired#{owner_id}#{stamp(scheduled)}",
            "job_id": job_id,
            "claimed_at": now,
            "expires_at": now + CLAIM_TTL,
        }
        return applied(self._table.put_item, Item=item, ConditionExpression="attribute_not_exists(sk)")

    # --- pending delayed copies -------------------------------------------------------------

    def put_pending(self, pending: PendingCopy) -> None:
        self._table.put_item(Item=self._pending_item(pending))

    @staticmethod
    def _pending_item(pending: PendingCopy) -> dict[str, Any]:
        return {
            "pk": _pk(pending.account_id),
            "sk": f"pending#{pending.pending_id}",
            "lead_id": pending.lead_id,
            "due_at": int(pending.due_at.timestamp()),
            "data": pending.model_dump_json(),
            "expires_at": int(pending.due_at.timestamp()) + PENDING_GRACE,
        }

    def get_pending(self, account_id: int, pending_id: str) -> PendingCopy | None:
        item = self._table.get_item(Key={"pk": _pk(account_id), "sk": f"pending#{pending_id}"}).get("Item")
        return PendingCopy.model_validate_json(item["data"]) if item else None

    def list_pending(self, account_id: int, lead_id: int | None = None) -> list[PendingCopy]:
        items = self._query(account_id, "pending#", lead_id)
        return sorted((PendingCopy.model_validate_json(i["data"]) for i in items), key=lambda p: p.due_at)

    def delete_pending(self, account_id: int, pending_id: str) -> bool:
        return self._delete(account_id, f"pending#{pending_id}")

    def mark_cancelled(self, pending: PendingCopy) -> None:
        """Remember a cancelled delayed copy until 30 days past its due time (a catch-up of its DP event
        must not plan it again)."""
        until = int(pending.due_at.timestamp()) + PENDING_GRACE
        key = {"pk": _pk(pending.account_id), "sk": f"cancelled#{pending.pending_id}"}
        self._table.put_item(Item={**key, "expires_at": until})

    def was_cancelled(self, account_id: int, pending_id: str) -> bool:
        return "Item" in self._table.get_item(Key={"pk": _pk(account_id), "sk": f"cancelled#{pending_id}"})

    # A person's cancel (an HTTP request) and the copy's fire (the worker) are not serialised:
    # the fire claims the pending copy (`firing`), a cancel deletes only an unclaimed one, and a
    # re-plan replaces only one still there, so a cancelled copy never comes back.

    def replace_pending(self, pending: PendingCopy) -> bool:
        """Store a re-planned copy; False when it was cancelled (or claimed) meanwhile."""
        item = self._pending_item(pending)
        return applied(
            self._table.put_item, Item=item, ConditionExpression="attribute_exists(pk) AND attribute_not_exists(firing)"
        )

    def claim_pending(self, account_id: int, pending_id: str) -> bool:
        """Mark the copy as being made; False when it was cancelled. A later delivery claims it again."""
        return applied(
            self._table.update_item,
            Key={"pk": _pk(account_id), "sk": f"pending#{pending_id}"},
            UpdateExpression="SET firing = :yes",
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeValues={":yes": True},
        )

    def delete_unclaimed_pending(self, account_id: int, pending_id: str) -> bool:
        """Cancel: delete the copy unless its fire claimed it; False when gone or being made."""
        return applied(
            self._table.delete_item,
            Key={"pk": _pk(account_id), "sk": f"pending#{pending_id}"},
            ConditionExpression="attribute_exists(pk) AND attribute_not_exists(firing)",
        )

    # --- helpers ----------------------------------------------------------------------------

    def _repeat_item(self, repeat: Repeat) -> dict[str, Any]:
        item = {
            "pk": _pk(repeat.account_id),
            "sk": f"repeat#{repeat.repeat_id}",
            "lead_id": repeat.lead_id,
            "state": repeat.state.value,
            "data": repeat.model_dump_json(),
        }
        if repeat.state in (RepeatState.FINISHED, RepeatState.STOPPED):
            item["expires_at"] = int(time.time()) + ENDED_REPEAT_TTL
        return item

    def _query(self, account_id: int, prefix: str, lead_id: int | None) -> list[dict[str, Any]]:
        kwargs: dict[str, Any] = {
            "KeyConditionExpression": Key("pk").eq(_pk(account_id)) & Key("sk").begins_with(prefix),
        }
        if lead_id is not None:
            kwargs["FilterExpression"] = Attr("lead_id").eq(lead_id)
        items: list[dict[str, Any]] = []
        while True:
            page = self._table.query(**kwargs)
            items.extend(page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                return items
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def _delete(self, account_id: int, sk: str) -> bool:
        answer = self._table.delete_item(Key={"pk": _pk(account_id), "sk": sk}, ReturnValues="ALL_OLD")
        return "Attributes" in answer
