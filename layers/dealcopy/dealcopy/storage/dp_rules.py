"""DP rules learned from hooks (pk `dprules`, sk `{account}#{pipeline}#{status}#{rule}`): what the catch-up watches.

Each item keeps the rule, the earliest and latest event time a hook brought, and how far
the catch-up has looked (`caught_up_to`).
"""

from __future__ import annotations

import time
from typing import Any

from boto3.dynamodb.conditions import Key

from dealcopy.storage.dynamo import Table

RULE_TTL = 180 * 86400
PK = "dprules"


class DpRuleRepository:
    def __init__(self, table: Table) -> None:
        self._table = table
        self._learned: dict[str, tuple[int, int]] = {}  # rule key -> (first, last) event time written by us

    def learn(
        self, *, account_id: int, pipeline_id: int, status_id: int, rule: str, rule_hash: str, event_time: int
    ) -> None:
        """Remember a rule that fired, and the earliest and latest event time a hook brought.

        One conditional write when the event is the newest (the usual case), a second only for
        an event older than every earlier one; the window's ends never move back whatever order
        hooks arrive in. A process-local memo skips writes that could change nothing.
        """
        sk = f"{account_id}#{pipeline_id}#{status_id}#{rule_hash}"
        known = self._learned.get(sk)
        if known is not None and known[0] <= event_time <= known[1]:
            return
        now = int(time.time())
        newest = self._table.update(
            {"pk": PK, "sk": sk},
            UpdateExpression=(
                "SET account_id = :a, pipeline_id = :p, status_id = :s, #rule = :r, rule_hash = :h, "
                "first_event_time = if_not_exists(first_event_time, :t), last_event_time = :t, "
                "last_seen = :now, expires_at = :exp"
            ),
            ConditionExpression="attribute_not_exists(last_event_time) OR last_event_time <= :t",
            ExpressionAttributeNames={"#rule": "rule"},
            ExpressionAttributeValues={
                ":a": account_id,
                ":p": pipeline_id,
                ":s": status_id,
                ":r": rule,
                ":h": rule_hash,
                ":t": event_time,
                ":now": now,
                ":exp": now + RULE_TTL,
            },
        )
        if not newest:  # an older event than the newest: it may still be the oldest
            self._table.update(
                {"pk": PK, "sk": sk},
                UpdateExpression="SET first_event_time = :t",
                ConditionExpression="first_event_time > :t",
                ExpressionAttributeValues={":t": event_time},
            )
        low = min(known[0], event_time) if known else event_time
        self._learned[sk] = (low, max(known[1], event_time) if known else event_time)

    def all(self) -> list[dict[str, Any]]:
        return self._table.query(Key("pk").eq(PK))

    def set_caught_up(self, rule_sk: str, event_time: int) -> None:
        self._table.update(
            {"pk": PK, "sk": rule_sk},
            UpdateExpression="SET caught_up_to = :t, caught_up_at = :now",
            ExpressionAttributeValues={":t": event_time, ":now": int(time.time())},
        )
