"""Deterministic ids and schedule names, so that creating anything twice is harmless.

Schedule names (EventBridge: 1-64 of `[0-9A-Za-z_.-]`) are `{owner}-{yyyymmddThhmm}`: one
per occurrence. A fired one-time schedule deletes itself after completion, possibly after the
worker has scheduled the next occurrence; distinct names mean that deletion never hits the
next one. All schedules of one repeat or pending copy share the prefix `{owner}-`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from dealcopy.fingerprints import digest


def _digest(*parts: object) -> str:
    return digest(*parts, length=24)


def repeat_id(account_id: int, idempotency_key: str) -> str:
    """The same request (account + idempotency key) always names the same repeat."""
    return "r" + _digest(account_id, "repeat", idempotency_key)


def pending_id(account_id: int, job_id: str) -> str:
    """A delayed copy is named after the DP job it will become (a repeated hook = the same copy)."""
    return "d" + _digest(account_id, "delayed", job_id)


def occurrence_job_id(repeat: str, scheduled: datetime) -> str:
    """The copy job of one occurrence: resuming after a crash finds the same job record."""
    return f"rep-{repeat}-{stamp(scheduled)}"


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M")


def schedule_name(owner_id: str, at: datetime) -> str:
    return f"{owner_id}-{stamp(at)}"


def schedule_prefix(owner_id: str) -> str:
    return f"{owner_id}-"
