"""Bulk copies (pk `job#{account}`, sk `batch#{batch_id}`): the lead ids, the rule and who asked."""

from __future__ import annotations

import json
import time
from typing import Any

from boto3.dynamodb.conditions import Key

from dealcopy.storage.dynamo import Item, Table
from dealcopy.storage.jobs import DAY, job_pk

BATCH_TTL = 30 * DAY


def _key(account_id: int, batch_id: str) -> Item:
    return {"pk": job_pk(account_id), "sk": f"batch#{batch_id}"}


class BatchRepository:
    def __init__(self, table: Table) -> None:
        self._table = table

    def create(self, account_id: int, batch_id: str, meta: dict[str, Any]) -> dict[str, Any]:
        """Store a batch once; returns the stored meta (the earlier one if the id exists)."""
        item = {
            **_key(account_id, batch_id),
            "data": json.dumps(meta, ensure_ascii=False),
            "expires_at": int(time.time()) + BATCH_TTL,
        }
        if self._table.put(item, ConditionExpression="attribute_not_exists(pk)"):
            return meta
        existing = self.get(account_id, batch_id)
        return existing if existing is not None else meta

    def get(self, account_id: int, batch_id: str) -> dict[str, Any] | None:
        """A consistent read: the key check right after a concurrent `create` must see its batch."""
        item = self._table.raw.get_item(Key=_key(account_id, batch_id), ConsistentRead=True).get("Item")
        return json.loads(item["data"]) if item else None

    def of_account(self, account_id: int) -> list[dict[str, Any]]:
        """Every batch of the account still kept (BATCH_TTL): what a repeated mass action compares with."""
        items = self._table.query(Key("pk").eq(job_pk(account_id)) & Key("sk").begins_with("batch#"))
        return [json.loads(item["data"]) for item in items if "data" in item]
