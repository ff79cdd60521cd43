"""One small helper over a DynamoDB table, shared by the repositories of every kind of item.

boto3's resource API returns numbers as Decimal and pages every read; `Table` hides both,
batches writes and reads, and turns a failed condition into `False` instead of an error.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from botocore.exceptions import ClientError

Item = dict[str, Any]


def plain(value: Any) -> Any:
    """Turn Decimals from boto3's resource API back into int/float, recursively."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def is_conditional_failure(err: Exception) -> bool:
    response = getattr(err, "response", None) or {}
    return response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"


def applied(write: Callable[..., Any], **request: Any) -> bool:
    """Run a conditional write; False (not an error) when its condition did not hold."""
    try:
        write(**request)
    except ClientError as err:
        if is_conditional_failure(err):
            return False
        raise
    return True


class Table:
    """A boto3 Table (and the service resource, for batch reads) with whole-answer reads and batched writes."""

    def __init__(self, table: Any, resource: Any = None) -> None:
        self.raw = table
        self._resource = resource

    def put(self, item: Item, **condition: Any) -> bool:
        """Put one item; with a `ConditionExpression`, False when it did not hold."""
        return applied(self.raw.put_item, Item=item, **condition)

    def get(self, key: Item) -> Item | None:
        item = self.raw.get_item(Key=key).get("Item")
        return plain(item) if item else None

    def update(self, key: Item, **request: Any) -> bool:
        """An `update_item`; False when its `ConditionExpression` did not hold."""
        return applied(self.raw.update_item, Key=key, **request)

    def delete(self, key: Item) -> None:
        self.raw.delete_item(Key=key)

    def write(self, items: Sequence[Item]) -> None:
        """Put every item in as few requests as DynamoDB allows (one `put_item` for a single item)."""
        if not items:
            return
        if len(items) == 1:
            self.raw.put_item(Item=items[0])
            return
        with self.raw.batch_writer(overwrite_by_pkeys=["pk", "sk"]) as writer:
            for item in items:
                writer.put_item(Item=item)

    def batch_get(
        self, keys: Sequence[Item], projection: str | None = None, names: dict[str, str] | None = None
    ) -> list[Item]:
        """Consistent reads of `keys` (any number), 100 per request, unprocessed keys retried."""
        name = self.raw.name
        found: list[Item] = []
        for start in range(0, len(keys), 100):
            request: dict[str, Any] = {"Keys": list(keys[start : start + 100]), "ConsistentRead": True}
            if projection:
                request["ProjectionExpression"] = projection
            if names:
                request["ExpressionAttributeNames"] = names
            pending = {name: request}
            for _ in range(10):
                answer = self._resource.batch_get_item(RequestItems=pending)
                found.extend(plain(item) for item in answer.get("Responses", {}).get(name, []))
                pending = answer.get("UnprocessedKeys") or {}
                if not pending:
                    break
                time.sleep(0.05)
        return found

    def query(self, condition: Any, projection: str | None = None, names: dict[str, str] | None = None) -> list[Item]:
        """Every item matching the key condition (consistent read, all pages)."""
        kwargs: dict[str, Any] = {}
        if projection:
            kwargs["ProjectionExpression"] = projection
        if names:
            kwargs["ExpressionAttributeNames"] = names
        return self._pages(self.raw.query, KeyConditionExpression=condition, ConsistentRead=True, **kwargs)

    def newest(self, condition: Any, limit: int) -> list[Item]:
        """The last `limit` items of a key range, newest (highest sort key) first."""
        page = self.raw.query(KeyConditionExpression=condition, ScanIndexForward=False, Limit=limit)
        return [plain(item) for item in page.get("Items", [])]

    def scan(self, **request: Any) -> list[Item]:
        return self._pages(self.raw.scan, **request)

    @staticmethod
    def _pages(read: Callable[..., Any], **request: Any) -> list[Item]:
        items: list[Item] = []
        while True:
            page = read(**request)
            items.extend(plain(item) for item in page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                return items
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]
