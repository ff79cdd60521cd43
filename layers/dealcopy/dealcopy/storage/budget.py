"""The shared amoCRM send schedule in DynamoDB: one item per account, `next_slot` = first unbooked slot.

Booking `count` slots from `start` on is one conditional UpdateItem, atomic across every instance:
- busy schedule (`start < next_slot <= start + horizon`): `next_slot += count * interval`,
  and our slots are the ones just before the new value (no read, no compare-and-swap race);
- idle schedule (`next_slot <= start` or no item): `next_slot = start + count * interval`.
Every booked slot lies before `next_slot`, so either way ours are at least an interval after
anyone else's. We pick the branch from the `next_slot` we last saw: it only grows, so a busy
guess is always right and a sole writer never misses. When another instance booked meanwhile,
the failed condition returns the item as it is (`ReturnValuesOnConditionCheckFailure`), and
the second call takes the right branch: at most two writes, no read. A schedule booked beyond
the horizon books nothing: the caller waits.
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
_ATTEMPTS = 2  # a guess, then the branch the item we were refused shows
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


class _Refused(Exception):
    """The branch's condition did not hold; `next_slot` is the item's value (None: no item)."""

    def __init__(self, next_slot: Decimal | None) -> None:
        self.next_slot = next_slot


class DynamoSlotStore:
    def __init__(self, table: Any) -> None:
        self._table = table
        self._seen: dict[str, Decimal] = {}  # per account: the latest next_slot we know of
        self._lock = threading.Lock()
        self.calls = 0  # UpdateItem calls: read by tests and the benchmark

    def reserve(self, key: str, count: int, interval: float, start: float, horizon: float) -> float | None:
        begin, span, limit = _ms(start), _ms(count * interval), _ms(start + horizon)
        with self._lock:
            seen = self._seen.get(key)
        for _ in range(_ATTEMPTS):
            if seen is not None and seen > limit:
                break  # booked beyond the horizon: nothing to book now
            busy = seen is not None and seen > begin
            try:
                new_next = self._update(key, busy, begin, span, limit, int(start))
            except _Refused as refused:
                seen = refused.next_slot
                continue
            with self._lock:
                self._seen[key] = max(new_next, self._seen.get(key, new_next))
            return float(new_next - span)
        if seen is not None:
            with self._lock:
                self._seen[key] = max(seen, self._seen.get(key, seen))
        return None

    def _update(self, key: str, busy: bool, begin: Decimal, span: Decimal, limit: Decimal, now: int) -> Decimal:
        values: dict[str, Any] = {":begin": begin, ":span": span, ":exp": now + _TTL}
        if busy:
            request = {
                "UpdateExpression": "SET next_slot = next_slot + :span, expires_at = :exp",
                "ConditionExpression": "next_slot > :begin AND next_slot <= :limit",
                "ExpressionAttributeValues": {**values, ":limit": limit},
            }
        else:
            request = {
                "UpdateExpression": "SET next_slot = :begin + :span, expires_at = :exp",
                "ConditionExpression": "attribute_not_exists(next_slot) OR next_slot <= :begin",
                "ExpressionAttributeValues": values,
            }
        self.calls += 1
        try:
            answer = self._table.update_item(
                Key={"pk": key}, ReturnValues="UPDATED_NEW", ReturnValuesOnConditionCheckFailure="ALL_OLD", **request
            )
        except ClientError as err:
            if is_conditional_failure(err):
                raise _Refused(_next_slot_of(err.response.get("Item"))) from None
            if err.response.get("Error", {}).get("Code") in _TEMPORARY:
                raise SlotStoreUnavailable(err.response["Error"]["Code"]) from err
            raise
        except BotoCoreError as err:  # connection trouble after botocore's own retries
            raise SlotStoreUnavailable(type(err).__name__) from err
        return Decimal(answer["Attributes"]["next_slot"])


def _next_slot_of(item: dict[str, Any] | None) -> Decimal | None:
    """`next_slot` of the item a failed condition returned: low-level (`{"N": ...}`) or resource shape."""
    value = (item or {}).get("next_slot")
    if isinstance(value, dict):
        value = value.get("N")
    return None if value is None else Decimal(str(value))
