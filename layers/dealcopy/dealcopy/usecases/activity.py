"""`activity`: the widget's recent copies and failures (manual, DP and bulk), newest first."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dealcopy.storage.activity import ActivityRepository

RECENT = 20
COPY_KEYS = ("source_id", "lead_id", "url", "at", "trigger")
FAIL_KEYS = ("source_id", "at", "code", "message_ru", "message_en", "trigger")


def activity(account_id: int, *, log: ActivityRepository, limit: int = RECENT) -> dict[str, list[dict[str, Any]]]:
    """The last `limit` copies and failures of the account."""
    copies = [{k: item.get(k) for k in COPY_KEYS} for item in log.recent(account_id, "copy", limit)]
    failures = [{k: item.get(k) for k in FAIL_KEYS} for item in log.recent(account_id, "fail", limit)]
    return {"copies": copies, "failures": failures}
