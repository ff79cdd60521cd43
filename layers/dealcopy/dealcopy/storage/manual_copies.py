"""Checkpoints of manual copies (pk `manual#{account}`, sk `key#{idempotency key}`) in the jobs table.

A manual copy writes one before it asks amoCRM to create the lead (the plan and the time of
the attempt), one right after (the lead id, with the lead's lineage), and one when it is
finished (the answer). A retry with the same key reads it first: it finishes that lead, or
looks for the lead an interrupted create made, and never creates a second one. The
powertools idempotency record in front of it only replays finished answers and keeps two
concurrent calls with one key apart; it is dropped when a call fails, this one is not.
Kept 2 days (keys live 24 h).
"""

from __future__ import annotations

import time
from typing import Any

from pydantic import BaseModel

from dealcopy.copying.creating import CreatedCopy
from dealcopy.copying.plan import CopyPlan
from dealcopy.records.job import Lineage
from dealcopy.storage.dynamo import Item, Table
from dealcopy.storage.lineage import lineage_item

CHECKPOINT_TTL = 2 * 86400


class ManualCheckpoint(BaseModel):
    """How far one manual copy got. `fingerprint` ties it to the request body that started it."""

    fingerprint: str
    plan: CopyPlan | None = None
    attempted_at: float | None = None  # unix time a create was sent whose answer we have not seen
    created: CreatedCopy | None = None  # the lead exists; its flags say which follow-up steps are left
    result: dict[str, Any] | None = None  # the finished copy's answer


def checkpoint_key(account_id: int, key: str) -> Item:
    return {"pk": f"manual#{account_id}", "sk": f"key#{key}"}


class ManualCheckpoints:
    def __init__(self, table: Table) -> None:
        self._table = table

    def get(self, account_id: int, key: str) -> ManualCheckpoint | None:
        """A consistent read: a retry right after a crash must see the checkpoint written before it."""
        found = self._table.batch_get([checkpoint_key(account_id, key)])
        return ManualCheckpoint.model_validate_json(found[0]["data"]) if found else None

    def save(self, account_id: int, key: str, checkpoint: ManualCheckpoint, lineage: Lineage | None = None) -> None:
        """One write (two items when the lead's lineage comes along, in one batch)."""
        item = {
            **checkpoint_key(account_id, key),
            "data": checkpoint.model_dump_json(),
            "expires_at": int(time.time()) + CHECKPOINT_TTL,
        }
        self._table.write([item, lineage_item(account_id, lineage)] if lineage else [item])

    def forget(self, account_id: int, key: str) -> None:
        """No lead was made (amoCRM refused the create, or the search found none): start afresh next time."""
        self._table.delete(checkpoint_key(account_id, key))
