"""Lineage of the leads we created (pk `job#{account}`, sk `lead#{lead_id}`).

The DP loop guard reads a source's lineage (how deep in a chain of automatic copies, by
which rules); reconciliation reads it to never adopt a lead another copy already claimed.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from boto3.dynamodb.conditions import Key

from dealcopy.records.job import Lineage
from dealcopy.storage.dynamo import Item, Table
from dealcopy.storage.jobs import DAY, job_pk

LINEAGE_TTL = 365 * DAY


def lineage_key(account_id: int, lead_id: int) -> Item:
    return {"pk": job_pk(account_id), "sk": f"lead#{lead_id}"}


def lineage_item(account_id: int, lineage: Lineage) -> Item:
    return {
        **lineage_key(account_id, lineage.lead_id),
        "lead_id": lineage.lead_id,
        "data": lineage.model_dump_json(),
        "expires_at": int(time.time()) + LINEAGE_TTL,
    }


def lineage_of(item: Item) -> Lineage:
    return Lineage.model_validate_json(item["data"])


class LineageRepository:
    def __init__(self, table: Table) -> None:
        self._table = table

    def get(self, account_id: int, lead_ids: Iterable[int]) -> dict[int, Lineage]:
        keys = [lineage_key(account_id, lead_id) for lead_id in dict.fromkeys(lead_ids)]
        found = self._table.batch_get(keys, "lead_id, #data", {"#data": "data"})
        return {int(item["lead_id"]): lineage_of(item) for item in found}

    def every(self, account_id: int) -> list[Lineage]:
        """Every copy the account made (one query of its lineage items, all pages)."""
        condition = Key("pk").eq(job_pk(account_id)) & Key("sk").begins_with("lead#")
        return [lineage_of(item) for item in self._table.query(condition, "#data", {"#data": "data"})]

    def claimed(self, account_id: int, lead_ids: Iterable[int]) -> set[int]:
        """The leads among `lead_ids` that are already a copy we made (never adopted again)."""
        return set(self.get(account_id, lead_ids))

    def put(self, account_id: int, lineage: Lineage) -> None:
        self._table.write([lineage_item(account_id, lineage)])
