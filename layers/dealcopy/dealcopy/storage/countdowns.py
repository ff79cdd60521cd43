"""Armed crashes of the worker's test seam (pk `test#seams`, sk `crash#{point}`): a counter per point.

A dumb key-value store: what a seam means lives beside the runner (`jobs.seams`). Only the
local stack reads it (`TEST_SEAMS=true`).
"""

from __future__ import annotations

from boto3.dynamodb.conditions import Key

from dealcopy.storage.dynamo import Table

PK = "test#seams"


class Countdowns:
    def __init__(self, table: Table) -> None:
        self._table = table

    def arm(self, name: str, count: int = 1) -> None:
        self._table.write([{"pk": PK, "sk": f"crash#{name}", "remaining": count}])

    def armed(self) -> set[str]:
        items = self._table.query(Key("pk").eq(PK))
        return {item["sk"].removeprefix("crash#") for item in items if int(item.get("remaining", 0)) > 0}

    def take(self, name: str) -> bool:
        """Count one down; False when none was left."""
        return self._table.update(
            {"pk": PK, "sk": f"crash#{name}"},
            UpdateExpression="SET remaining = remaining - :one",
            ConditionExpression="remaining > :zero",
            ExpressionAttributeValues={":one": 1, ":zero": 0},
        )
