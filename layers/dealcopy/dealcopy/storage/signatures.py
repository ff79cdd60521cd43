"""Who signed a DP rule, when and with which client secret (pk `dpsign#{account}`, sk `{rule_hash}`).

The signer is the admin a DP copy acts as; the signing time bounds the catch-up: it never
acts on an event older than the rule's signature, whatever times hooks claimed.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from boto3.dynamodb.conditions import Key

from dealcopy.storage.dynamo import Item, Table

SIGNATURE_TTL = 3 * 365 * 86400


def signature_key(account_id: int, rule_hash: str) -> Item:
    return {"pk": f"dpsign#{account_id}", "sk": rule_hash}


class SignatureRepository:
    def __init__(self, table: Table) -> None:
        self._table = table

    def record(self, account_id: int, rule_hash: str, user_id: int, *, key_id: str = "") -> None:
        """Re-signing the same rule moves its time forward (the catch-up's window only narrows).

        `key_id` names the client secret it was signed with (records made before key ids have none).
        """
        now = int(time.time())
        item = {**signature_key(account_id, rule_hash), "signed_by": user_id, "signed_at": now}
        if key_id:
            item["key_id"] = key_id
        self._table.write([{**item, "expires_at": now + SIGNATURE_TTL}])

    def of_account(self, account_id: int) -> list[dict]:
        """Every signing record of an account: rule hash, signer, time and key id."""
        return self._table.query(Key("pk").eq(f"dpsign#{account_id}"))

    def signed_at(self, pairs: Iterable[tuple[int, str]]) -> dict[tuple[int, str], int]:
        """When each (account id, rule hash) was signed; a rule with no record is missing from the answer."""
        keys = [signature_key(account_id, digest) for account_id, digest in dict.fromkeys(pairs)]
        found = {}
        for item in self._table.batch_get(keys) if keys else []:
            if "signed_at" in item:
                found[(int(item["pk"].split("#", 1)[1]), str(item["sk"]))] = int(item["signed_at"])
        return found
