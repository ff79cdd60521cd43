"""Presets table: named copy rules per account (the widget's preset picker and DP rules)."""

from __future__ import annotations

import json
import time
from typing import Any

from pydantic import BaseModel

from dealcopy.storage.dynamo import plain

PRESET_ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"


class Preset(BaseModel):
    """A named rule; `owner_user_id` None is shared (admins write it), else the one user's personal preset.

    `locked`: rule fields (of a shared preset) no override may change (`copying.rule_resolution`).
    """

    preset_id: str
    name: str
    rule: dict[str, Any]
    updated_at: int = 0
    updated_by: int | None = None
    owner_user_id: int | None = None
    locked: list[str] = []

    def visible_to(self, user_id: int) -> bool:
        return self.owner_user_id is None or self.owner_user_id == user_id


class PresetRepository:
    def __init__(self, table: Any) -> None:
        self._table = table

    def list(self, account_id: int) -> list[Preset]:
        items, kwargs = [], {}
        while True:
            page = self._table.query(
                KeyConditionExpression="account_id = :a", ExpressionAttributeValues={":a": account_id}, **kwargs
            )
            items.extend(page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                return [_preset(plain(item)) for item in items]
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def get(self, account_id: int, preset_id: str) -> Preset | None:
        item = self._table.get_item(Key={"account_id": account_id, "preset_id": preset_id}).get("Item")
        return _preset(plain(item)) if item else None

    def put(self, account_id: int, preset: Preset) -> Preset:
        stored = preset.model_copy(update={"updated_at": int(time.time())})
        item = {
            "account_id": account_id,
            "preset_id": stored.preset_id,
            "name": stored.name,
            "rule": json.dumps(stored.rule, ensure_ascii=False),  # as a string: no Decimal round trips
            "updated_at": stored.updated_at,
        }
        if stored.updated_by is not None:
            item["updated_by"] = stored.updated_by
        if stored.owner_user_id is not None:
            item["owner_user_id"] = stored.owner_user_id
        if stored.locked:
            item["locked"] = list(stored.locked)
        self._table.put_item(Item=item)
        return stored

    def delete(self, account_id: int, preset_id: str) -> bool:
        answer = self._table.delete_item(Key={"account_id": account_id, "preset_id": preset_id}, ReturnValues="ALL_OLD")
        return "Attributes" in answer


def _preset(item: dict[str, Any]) -> Preset:
    return Preset(
        preset_id=item["preset_id"],
        name=item["name"],
        rule=json.loads(item["rule"]),
        updated_at=item.get("updated_at", 0),
        updated_by=item.get("updated_by"),
        owner_user_id=item.get("owner_user_id"),
        locked=list(item.get("locked") or []),
    )
