"""The widget's recent activity (`GET /widget/activity`) and lineage of manual copies.

Jobs record their own copies and failures (`runner`); manual copies from the lead card are
recorded here, with a lineage record (it also keeps an uncertain create's search from
adopting a manual copy).
"""

from __future__ import annotations

from typing import Any

from dealcopy.copying.errors import CopyError
from dealcopy.copying.result import CopyResult
from dealcopy.jobs.model import Lineage

RECENT = 20


def record_manual_copy(store: Any, account_id: int, result: CopyResult) -> None:
    """A copy a user made starts a new chain (depth 0): the DP loop guard counts automatic copies only."""
    job_id = f"manual-{result.lead_id}"
    lineage = Lineage(
        lead_id=result.lead_id, source_id=result.source_id, depth=0, chain=[], job_id=job_id, trigger="manual"
    )
    entry = {"source_id": result.source_id, "lead_id": result.lead_id, "url": result.url, "trigger": "manual"}
    store.put_jobs(
        [], [store.lineage_item(account_id, lineage), store.activity_item(account_id, "copy", job_id, entry)]
    )


def record_manual_failure(store: Any, account_id: int, lead_id: int, err: CopyError) -> None:
    entry = {
        "source_id": lead_id,
        "trigger": "manual",
        "code": err.code,
        "message_ru": err.message_ru,
        "message_en": err.message_en,
    }
    store.add_activity(account_id, "fail", f"manual-{lead_id}", entry)


def recent(store: Any, account_id: int, limit: int = RECENT) -> dict[str, list[dict[str, Any]]]:
    """The last `limit` copies and failures of the account, newest first."""
    copies = [
        {k: item.get(k) for k in ("source_id", "lead_id", "url", "at", "trigger")}
        for item in store.recent_activity(account_id, "copy", limit)
    ]
    failures = [
        {k: item.get(k) for k in ("source_id", "at", "code", "message_ru", "message_en", "trigger")}
        for item in store.recent_activity(account_id, "fail", limit)
    ]
    return {"copies": copies, "failures": failures}
