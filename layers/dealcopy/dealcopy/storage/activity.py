"""The widget's recent activity (pk `activity#{account}`, sk `{kind}#{ms}#{job}`), kept 30 days."""

from __future__ import annotations

import json
import time
from typing import Any

from boto3.dynamodb.conditions import Key

from dealcopy.records.job import Activity
from dealcopy.storage.dynamo import Item, Table

ACTIVITY_TTL = 30 * 86400


def activity_item(account_id: int, activity: Activity) -> Item:
    at_ms = int(time.time() * 1000)
    return {
        "pk": f"activity#{account_id}",
        "sk": f"{activity.kind}#{at_ms:013d}#{activity.job_id}",
        "data": json.dumps({**activity.entry, "at": int(at_ms / 1000)}, ensure_ascii=False),
        "expires_at": int(at_ms / 1000) + ACTIVITY_TTL,
    }


class ActivityRepository:
    def __init__(self, table: Table) -> None:
        self._table = table

    def add(self, account_id: int, activity: Activity) -> None:
        self._table.write([activity_item(account_id, activity)])

    def recent(self, account_id: int, kind: str, limit: int = 20) -> list[dict[str, Any]]:
        """The newest `limit` entries of one kind (`copy` or `fail`), newest first."""
        condition = Key("pk").eq(f"activity#{account_id}") & Key("sk").begins_with(f"{kind}#")
        return [json.loads(item["data"]) for item in self._table.newest(condition, limit)]
