"""What the job queue carries: one DP job, or up to 50 jobs of a bulk copy, and their ids.

Apart from `records.job` (records, which carry copy plans): the DP hook builds these on every
request, so importing them must not load the copy engine (the hook's cold start).
Stdlib dataclasses for the same reason: the hook only builds and writes them; pydantic
validates them (`JobMessage.from_json`) where they are read back, in the worker and tools.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from dataclasses import dataclass, field
from typing import Any, Literal

from dealcopy.fingerprints import digest


@dataclass(frozen=True, kw_only=True)
class DpEvent:
    """The DP event a job answers: the lead entered `status_id` of `pipeline_id` at `time`."""

    pipeline_id: int
    status_id: int
    time: int
    type: str = ""


@dataclass(frozen=True, kw_only=True)
class JobRef:
    job_id: str
    lead_id: int


@dataclass(frozen=True, kw_only=True)
class JobMessage:
    """One SQS message: one DP job, or up to 50 jobs of a bulk copy (same rule, same account)."""

    v: int = 1
    account_id: int
    trigger: Literal["dp", "bulk", "repeat", "manual"]
    origin: str = "hook"  # hook | catchup | bulk | recycle | redrive | delayed | schedule
    rule: str  # canonical JSON of the rule (signed for DP)
    rule_hash: str
    actor_user_id: int | None = None  # bulk: the user who asked; DP: resolved by the worker
    batch_id: str | None = None
    event: DpEvent | None = None
    jobs: list[JobRef] = field(default_factory=list)
    failure: dict[str, Any] | None = None  # set on dead-lettered messages: why

    @classmethod
    def from_json(cls, raw: str | bytes) -> JobMessage:
        """A message read back from SQS, validated; raises pydantic's `ValidationError` if it is not one."""
        return _reader().validate_json(raw)

    def to_json(self) -> str:
        """The SQS body; unset (None) fields are left out, as readers default them."""
        return json.dumps(_without_none(dataclasses.asdict(self)), separators=(",", ":"), ensure_ascii=False)

    def but(self, **changes: Any) -> JobMessage:
        """A copy with `changes` (messages are immutable once built)."""
        return dataclasses.replace(self, **changes)

    def dedup_id(self) -> str:
        """Deterministic per content, so a repeated hook or catch-up is dropped by SQS itself (5 min)."""
        if len(self.jobs) == 1:
            return self.jobs[0].job_id
        return f"{self.trigger}-{digest(*(j.job_id for j in self.jobs), length=40)}"


@functools.cache
def _reader() -> Any:
    """pydantic's validator of `JobMessage`, built once per process (building it costs ~8 ms)."""
    from pydantic import TypeAdapter  # only readers pay for pydantic

    return TypeAdapter(JobMessage)


def _without_none(data: dict[str, Any]) -> dict[str, Any]:
    """Drop None values of the message and its nested events/refs (not inside `failure`, kept as given)."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if value is None:
            continue
        if isinstance(value, dict) and key != "failure":
            value = _without_none(value)
        elif isinstance(value, list):
            value = [_without_none(v) if isinstance(v, dict) else v for v in value]
        out[key] = value
    return out


def dp_job_id(account_id: int, lead_id: int, pipeline_id: int, status_id: int, event_time: int, rule_hash: str) -> str:
    """The id of the job answering one DP event (also its SQS dedup id): hook and catch-up compute the same."""
    return "dp-" + digest(account_id, lead_id, pipeline_id, status_id, event_time, rule_hash, length=40)


def bulk_job_id(batch_id: str, lead_id: int) -> str:
    return f"bulk-{batch_id}-{lead_id}"
