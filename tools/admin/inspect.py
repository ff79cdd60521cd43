"""`jobs recent`, `schedules`, `accounts status`: what happened to an account, what is planned for it, how it is.

Reads through the layer's repositories (one account's partition each); prints no tokens.
"""

from __future__ import annotations

import base64
import json
import time
from typing import Any

from tools.admin.dlq import describe_job

# Fields a later version of the install may store on the account item; shown when present.
OPTIONAL_FIELDS = ("timezone", "time_zone", "disconnected_reason", "disconnected_at", "last_keep_alive_at")


def recent_jobs(store: Any, account_id: int, *, hours: float, now: float | None = None) -> list[dict[str, Any]]:
    """The account's copy jobs updated within `hours`, newest first, with state and reason (ru/en)."""
    since = (now or time.time()) - hours * 3600
    records = [r for r in store.list_jobs(account_id) if r.updated_at >= since]
    return [describe_job(r) for r in sorted(records, key=lambda r: r.updated_at, reverse=True)]


def schedules(repo: Any, account_id: int) -> dict[str, list[dict[str, Any]]]:
    """The account's repeats (every state) and its delayed DP copies waiting for their time."""
    repeats = [
        {
            "repeat_id": r.repeat_id,
            "lead_id": r.lead_id,
            "state": r.state.value,
            "schedule": r.schedule.model_dump(mode="json"),
            "next_at": _iso(r.next_at),
            "fired": r.fired,
            "last_fired_at": _iso(r.last_fired_at),
            "stop_code": r.stop_code,
            "preset_id": r.preset_id,
        }
        for r in repo.list_repeats(account_id)
    ]
    pending = [
        {
            "pending_id": p.pending_id,
            "job_id": p.job_id,
            "lead_id": p.lead_id,
            "due_at": _iso(p.due_at),
            "timezone": p.timezone,
            "stage": {"pipeline_id": p.event.pipeline_id, "status_id": p.event.status_id},
        }
        for p in sorted(repo.list_pending(account_id), key=lambda p: p.due_at)
    ]
    return {"repeats": repeats, "pending_copies": pending}


def account_status(item: dict[str, Any] | None, licence: dict[str, Any] | None, now: float | None = None) -> Any:
    """Status, licence, token age (the access token's `iat`) and what else is stored; `item` has no Decimals."""
    if item is None:
        return None
    now = now or time.time()
    status = {
        "account_id": int(item["account_id"]),
        "subdomain": item.get("subdomain"),
        "status": item.get("status"),
        "licence": licence,
        "token": _token_age(item, now),
    }
    status.update({name: item[name] for name in OPTIONAL_FIELDS if name in item})
    return status


def _token_age(item: dict[str, Any], now: float) -> dict[str, Any] | None:
    if not item.get("access_token"):
        return None  # uninstalled or never installed: nothing to refresh
    issued = _claims(str(item["access_token"])).get("iat")
    expires = int(item.get("expires_at") or 0)
    return {
        "issued_at": _iso_epoch(issued) if isinstance(issued, int | float) else None,
        "age_hours": round((now - issued) / 3600, 1) if isinstance(issued, int | float) else None,
        "expires_at": _iso_epoch(expires) if expires else None,
        "expired": bool(expires and expires <= now),
        "version": int(item.get("token_version") or 0),
    }


def _claims(token: str) -> dict[str, Any]:
    """The unverified payload of an amoCRM access token (a JWT); only its times are shown."""
    try:
        payload = token.split(".")[1]
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _iso(moment: Any) -> str | None:
    return moment.isoformat() if moment is not None else None


def _iso_epoch(seconds: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))
