"""Who signed a DP rule and when (pk `dpsign#{account}`, sk `{rule_hash}`).

The signer is the admin a DP copy acts as; the signing time bounds the catch-up: it never
acts on an event older than the rule's signature, whatever times hooks claimed.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from dealcopy.storage.dynamo import Item, Table

SIGNATURE_TTL = 3 * 365 * 86400


def signature_key(account_id: int, rule_hash: str) -> Item:
    return {"pk": f"dpsign#{account_id}", "sk": rule_hash}


class SignatureRepository:
    def __init__(self, table: Table) -> None:
        self._table = table

    def record(self, account_id: int, rule_hash: str, user_id: int) -> None:
        """Re-signing the same rule moves its time forward (the catch-up's window only narrows)."""
        now = int(time.time())
        item = {**signature_key(account_id, rule_hash), "signed_by": user_id, "signed_at": now}
        self._table.write([{**item, "expires_at": now + SIGNATURE_TTL}])

    def signed_at(self, pairs: Iterable[tuple[int, str]]) -> dict[tuple[int, str], int]:
        """When each (account id, rule hash) was signed; a rule with no record is missing from the answer."""
        keys = [signature_key(account_id, digest) for account_id, digest in dict.fromkeys(pairs)]
        found = {}
        for item in self._table.batch_get(keys) if keys else []:
            if "signed_at" in item:
                found[(int(item["pk"].split("#", 1)[1]), str(item["sk"]))] = int(item["signed_at"])
        return found
