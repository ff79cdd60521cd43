"""The shared amoCRM send schedule in DynamoDB: one item per account, `next_slot` = first unbooked slot.

Booking `count` slots is one conditional UpdateItem, atomic across every instance:
- busy schedule (`now <= next_slot <= now + horizon`): `next_slot += count * interval`,
  and our slots are the ones just before the new value (no read, no compare-and-swap race);
- idle schedule (`next_slot < now` or no item): `next_slot = now + count * interval`.
We try the branch the last answer suggested; when its condition fails we try the other
one. Both failing means the schedule is booked beyond the horizon: the caller waits.
"""

from __future__ import annotations

import math
import threading
from decimal import Decimal
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from dealcopy.amo.budget import SlotStoreUnavailable
from dealcopy.storage.dynamo import is_conditional_failure

_TTL = 3600  # an idle account's item expires after an hour (TTL); it is recreated on demand
_TEMPORARY = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "InternalServerError",
        "ServiceUnavailable",
        "TransactionConflictException",
    }
)


def _ms(value: float) -> Decimal:
    """Milliseconds, rounded up: rounding must never bring two slots closer than the interval."""
    return Decimal(math.ceil(value * 1000)) / 1000


class DynamoSlotStore:
    def __init__(self, table: Any) -> None:
        self._table = table
        self._busy: dict[str, bool] = {}
        self._lock = threading.Lock()

    def reserve(self, key: str, count: int, interval: float, now: float, horizon: float) -> float | None:
        with self._lock:
            busy_first = self._busy.get(key, False)
        for busy in (busy_first, not busy_first):
            start = self._try(key, busy, _ms(count * interval), now, horizon)
            if start is not None:
                with self._lock:
                    self._busy[key] = busy
                return start
        with self._lock:
            self._busy[key] = True
        return None

    def _try(self, key: str, busy: bool, span: Decimal, now: float, horizon: float) -> float | None:
        values: dict[str, Any] = {":span": span, ":now": _ms(now), ":exp": int(now) + _TTL}
        if busy:
            request = {
                "UpdateExpression": "SET next_slot = next_slot + :span, expires_at = :exp",
                "ConditionExpression": "next_slot BETWEEN :now AND :limit",
                "ExpressionAttributeValues": {**values, ":limit": _ms(now + horizon)},
            }
        else:
            request = {
                "UpdateExpression": "SET next_slot = :now + :span, expires_at = :exp",
                "ConditionExpression": "attribute_not_exists(next_slot) OR next_slot < :now",
                "ExpressionAttributeValues": values,
            }
        try:
            answer = self._table.update_item(Key={"pk": key}, ReturnValues="UPDATED_NEW", **request)
        except ClientError as err:
            if is_conditional_failure(err):
                return None
            if err.response.get("Error", {}).get("Code") in _TEMPORARY:
                raise SlotStoreUnavailable(err.response["Error"]["Code"]) from err
            raise
        except BotoCoreError as err:  # connection trouble after botocore's own retries
            raise SlotStoreUnavailable(type(err).__name__) from err
        return float(answer["Attributes"]["next_slot"] - span)
