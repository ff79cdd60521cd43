"""How long an uninstalled account's data stays: 30 days, then DynamoDB's TTL removes it.

On a genuine uninstall the tokens go at once (`AccountRepository.mark_uninstalled`); the
account's presets, job records, lineage, DP events and rules, bulk batches, rule signatures,
repeats (stopped by the uninstall), occurrence claims, activity and the backlog (fires armed
for later included) get `expires_at` no later than 30 days on (`retained_until` marks what we
shortened, `kept_expires_at` keeps the TTL it had). A re-install within those 30 days undoes
it: each item gets its own TTL back (presets none), so nothing of the account is lost; stopped
repeats wait for a person to resume them. The account item itself stays (install history,
trial), without tokens.
"""

from __future__ import annotations

import time
from typing import Any

from boto3.dynamodb.conditions import Key

from dealcopy.storage.backlog import backlog_pk
from dealcopy.storage.dynamo import Item, Table, plain
from dealcopy.storage.jobs import DAY, job_pk

RETENTION_DAYS = 30
_MARKS = ("retained_until", "kept_expires_at")


class Retention:
    def __init__(self, jobs: Table, presets: Any) -> None:
        self._jobs = jobs
        self._presets = presets  # the presets table (boto3), keyed by account_id + preset_id

    def expire(self, account_id: int, now: int | None = None) -> int:
        """Every item of the account expires within `RETENTION_DAYS`; returns how many were shortened."""
        until = int(now or time.time()) + RETENTION_DAYS * DAY
        changed = []
        for item in self._items(account_id):
            if "retained_until" in item or int(item.get("expires_at") or until + 1) <= until:
                continue
            marks = {
                "retained_until": until,
                **({"kept_expires_at": item["expires_at"]} if "expires_at" in item else {}),
            }
            changed.append({**item, **marks, "expires_at": until})
        self._jobs.write(changed)
        for preset in self._preset_keys(account_id):
            self._presets.update_item(
                Key=preset,
                UpdateExpression="SET expires_at = :until, retained_until = :until",
                ExpressionAttributeValues={":until": until},
            )
        return len(changed)

    def keep(self, account_id: int) -> int:
        """A re-install: every item we shortened gets its own TTL back; returns how many."""
        restored = []
        for item in self._items(account_id):
            if "retained_until" not in item:
                continue
            kept = item.get("kept_expires_at")
            fresh = {k: v for k, v in item.items() if k not in (*_MARKS, "expires_at")}
            restored.append({**fresh, "expires_at": kept} if kept is not None else fresh)
        self._jobs.write(restored)
        for preset in self._preset_keys(account_id, retained=True):
            self._presets.update_item(Key=preset, UpdateExpression="REMOVE expires_at, retained_until")
        return len(restored)

    def _items(self, account_id: int) -> list[Item]:
        found = []
        partitions = (job_pk(account_id), f"activity#{account_id}", f"dpsign#{account_id}", f"sched#{account_id}")
        for pk in (*partitions, backlog_pk(account_id)):
            found += self._jobs.query(Key("pk").eq(pk))
        found += self._jobs.query(Key("pk").eq("dprules") & Key("sk").begins_with(f"{account_id}#"))
        return found

    def _preset_keys(self, account_id: int, *, retained: bool = False) -> list[Item]:
        keys, request = [], {"KeyConditionExpression": Key("account_id").eq(account_id)}
        while True:
            page = self._presets.query(**request)
            keys += [
                {"account_id": account_id, "preset_id": i["preset_id"]}
                for i in map(plain, page.get("Items", []))
                if not retained or "retained_until" in i
            ]
            if "LastEvaluatedKey" not in page:
                return keys
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]
