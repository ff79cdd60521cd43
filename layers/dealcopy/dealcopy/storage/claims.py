"""One-time claims in the jobs table: "has anyone already started X?" with an expiry.

Used for the repeated OAuth install callback (same code twice) and, later, for
one-time-token `jti` replay protection.
"""

from __future__ import annotations

import time
from typing import Any

from dealcopy.storage.dynamo import applied, plain


class ClaimStore:
    def __init__(self, table: Any, prefix: str = "claim") -> None:
        self._table = table
        self._prefix = prefix

    def _key(self, name: str) -> dict[str, str]:
        return {"pk": f"{self._prefix}#{name}", "sk": "claim"}

    def claim(self, name: str, ttl: int) -> bool:
        """True for the first caller while the claim lives; False for everyone else."""
        now = int(time.time())
        return applied(
            self._table.put_item,
            Item={**self._key(name), "state": "started", "created_at": now, "expires_at": now + ttl},
            ConditionExpression="attribute_not_exists(pk) OR expires_at < :now",
            ExpressionAttributeValues={":now": now},
        )

    def complete(self, name: str, result: dict[str, Any]) -> None:
        self._table.update_item(
            Key=self._key(name),
            UpdateExpression="SET #state = :done, #result = :result",
            ExpressionAttributeNames={"#state": "state", "#result": "result"},
            ExpressionAttributeValues={":done": "done", ":result": result},
        )

    def release(self, name: str) -> None:
        self._table.delete_item(Key=self._key(name))

    def read(self, name: str) -> dict[str, Any] | None:
        item = self._table.get_item(Key=self._key(name), ConsistentRead=True).get("Item")
        if not item or plain(item).get("expires_at", 0) < time.time():
            return None
        return plain(item)
