"""Who signed a DP rule (pk `dpsign#{account}`, sk `{rule_hash}`): the admin a DP copy acts as."""

from __future__ import annotations

import time

from dealcopy.storage.dynamo import Item, Table

SIGNATURE_TTL = 3 * 365 * 86400


def signature_key(account_id: int, rule_hash: str) -> Item:
    return {"pk": f"dpsign#{account_id}", "sk": rule_hash}


class SignatureRepository:
    def __init__(self, table: Table) -> None:
        self._table = table

    def record(self, account_id: int, rule_hash: str, user_id: int) -> None:
        now = int(time.time())
        item = {**signature_key(account_id, rule_hash), "signed_by": user_id, "signed_at": now}
        self._table.write([{**item, "expires_at": now + SIGNATURE_TTL}])
