"""`rules old-key`: DP rules whose signature was made with a client secret other than the current one.

Every signing records the key id of the secret it used (`storage/signatures.py`); records made
before key ids count as old when they are older than the rotation. Where a hook already brought the
rule, its stages are shown (`storage/dp_rules.py`); a rule signed in the widget but never saved in
amoCRM is listed too (nothing tells them apart until a hook arrives).
"""

from __future__ import annotations

import time
from typing import Any


def old_key_rules(
    secrets: Any, signatures: Any, learned: list[dict[str, Any]], account_ids: list[int]
) -> dict[str, Any]:
    stages: dict[tuple[int, str], list[dict[str, int]]] = {}
    for rule in learned:
        where = {"pipeline_id": int(rule["pipeline_id"]), "status_id": int(rule["status_id"])}
        stages.setdefault((int(rule["account_id"]), str(rule["rule_hash"])), []).append(where)
    rows = []
    for account_id in account_ids:
        for record in signatures.of_account(account_id):
            key_id, signed_at = record.get("key_id"), int(record.get("signed_at") or 0)
            if not secrets.signed_with_old_key(key_id, signed_at):
                continue
            rows.append(
                {
                    "account_id": account_id,
                    "rule_hash": record["sk"],
                    "key_id": key_id or "(before key ids)",
                    "signed_by": int(record.get("signed_by") or 0),
                    "signed_at": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(signed_at)),
                    "stages": stages.get((account_id, str(record["sk"])), []),
                }
            )
    ends = secrets.window_ends()
    return {
        "current_key_id": secrets.current_key_id,
        "previous_key_id": secrets.previous_key_id,
        "previous_accepted_until": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(ends)) if ends else None,
        "rules": rows,
    }
