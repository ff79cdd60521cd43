"""The shared amoCRM send log in DynamoDB: one item per account, its last `rate` send stamps.

The item is `{pk, log: [ms, ...], ver, expires_at}`. Booking is one conditional UpdateItem:
the new stamps are computed (`amo.budget.next_stamps`) from the log as we last saw it, and
written with `ver = :seen` (`attribute_not_exists(ver)` for a new account or an item of the
older slot format). A sole writer (the usual case: an account's worker) never misses, as its
own last write is what it saw. When another instance wrote meanwhile, the refused condition
returns the item as it is (`ReturnValuesOnConditionCheckFailure`) and the next attempt starts
from that: a second write, no read. At 7 bookings a second per account, each a few ms long,
two instances rarely book in the same few ms; `_ATTEMPTS` bounds the rare pile-up, after
which the caller backs off and tries again (it never sends unbooked).
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from dealcopy.amo.budget import SendRule, SlotStoreUnavailable, next_stamps
from dealcopy.storage.dynamo import is_conditional_failure

_TTL = 3600  # an idle account's item expires after an hour (TTL); it is recreated on demand
_ATTEMPTS = 3  # our guess, then the item each refusal showed
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


@dataclass(frozen=True)
class _Log:
    """The account's item as we last saw it: its version and stamps (ms, ascending)."""

    ver: int
    stamps: tuple[int, ...]


class _Refused(Exception):
    """The condition did not hold; `seen` is the item as it is (None: no item of this format)."""

    def __init__(self, seen: _Log | None) -> None:
        self.seen = seen


class DynamoSlotStore:
    def __init__(self, table: Any) -> None:
        self._table = table
        self._seen: dict[str, _Log | None] = {}  # per account: the log our last write or refusal showed
        self._lock = threading.Lock()
        self.calls = 0  # UpdateItem calls: read by tests and the benchmark

    def reserve(self, key: str, count: int, start: float, rule: SendRule, horizon: float) -> list[float] | None:
        start_ms = math.ceil(start * 1000)
        limit = start_ms + math.ceil(horizon * 1000)
        with self._lock:
            seen = self._seen.get(key)
        for _ in range(_ATTEMPTS):
            stamps = next_stamps(seen.stamps if seen else (), count, start_ms, rule)
            if stamps[0] > limit:
                break  # booked beyond the horizon: nothing to book now, the caller waits
            log = ((*seen.stamps, *stamps) if seen else tuple(stamps))[-rule.rate :]
            try:
                seen = self._write(key, seen, log, int(start))
            except _Refused as refused:
                seen = refused.seen
                continue
            self._remember(key, seen)
            return [stamp / 1000 for stamp in stamps]
        self._remember(key, seen)
        return None

    def _remember(self, key: str, seen: _Log | None) -> None:
        with self._lock:
            known = self._seen.get(key)
            if seen is not None and (known is None or seen.ver >= known.ver):
                self._seen[key] = seen

    def _write(self, key: str, seen: _Log | None, log: tuple[int, ...], now: int) -> _Log:
        values: dict[str, Any] = {":log": list(log), ":exp": now + _TTL}
        if seen is None:
            condition, values[":ver"] = "attribute_not_exists(ver)", 1
        else:
            condition, values[":seen"], values[":ver"] = "ver = :seen", seen.ver, seen.ver + 1
        self.calls += 1
        try:
            self._table.update_item(
                Key={"pk": key},
                # REMOVE next_slot: items of the older evenly-spaced format are taken over in place.
                UpdateExpression="SET #log = :log, ver = :ver, expires_at = :exp REMOVE next_slot",
                ConditionExpression=condition,
                ExpressionAttributeNames={"#log": "log"},
                ExpressionAttributeValues=values,
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as err:
            if is_conditional_failure(err):
                raise _Refused(_log_of(err.response.get("Item"))) from None
            if err.response.get("Error", {}).get("Code") in _TEMPORARY:
                raise SlotStoreUnavailable(err.response["Error"]["Code"]) from err
            raise
        except BotoCoreError as err:  # connection trouble after botocore's own retries
            raise SlotStoreUnavailable(type(err).__name__) from err
        return _Log(values[":ver"], log)


def _log_of(item: dict[str, Any] | None) -> _Log | None:
    """The log of the item a failed condition returned: low-level (`{"N": ...}`) or resource shape."""
    if not item or "ver" not in item:
        return None
    ver, stamps = _plain(item["ver"]), _plain(item.get("log")) or []
    return _Log(int(ver), tuple(sorted(int(_plain(s)) for s in stamps)))


def _plain(value: Any) -> Any:
    """A low-level attribute value (`{"N": "5"}`, `{"L": [...]}`) as a plain one; resource values pass."""
    if isinstance(value, dict):
        if "N" in value:
            return value["N"]
        if "L" in value:
            return value["L"]
    return value
