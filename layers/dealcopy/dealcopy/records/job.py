"""Job records (what the jobs table remembers); the messages the queue carries are `records.job_message`.

State machine of a job record (terminal states in capitals):

    (no record) -> queued -> creating -> created -> linked -> DONE
         |           |          |           \\-> (links refused: reported, still linked)
         |           |          \\-> (uncertain create: stays `creating` until a search
         |           |               finds the lead -> created, or proves it absent -> create again)
         |           \\-> FAILED (permanent error, or the last attempt ran out) + note + DLQ
         \\-> STOPPED (loop guard: too deep or a cycle) + note
         \\-> DUPLICATE (the same DP event already has a job)

`failed_from` keeps the state a job failed in, so a re-drive resumes there (never re-creates
a lead that exists).

A shared kernel: the storage repositories persist these models and the job steps change
them, so this module imports nothing of `jobs`, `dp`, `storage` or the use cases (only the
copy plan and the created copy it carries).
"""

from __future__ import annotations

import time
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, Field

from dealcopy.copying.creating import CreatedCopy
from dealcopy.copying.plan import CopyPlan
from dealcopy.records.job_message import DpEvent, JobMessage, JobRef, bulk_job_id, dp_job_id  # noqa: F401 (re-exported)

TriggerKind = Literal["manual", "dp", "bulk", "repeat"]


class JobState(StrEnum):
    QUEUED = "queued"
    CREATING = "creating"
    CREATED = "created"
    LINKED = "linked"
    DONE = "done"
    FAILED = "failed"
    STOPPED = "stopped"
    DUPLICATE = "duplicate"


TERMINAL = frozenset({JobState.DONE, JobState.FAILED, JobState.STOPPED, JobState.DUPLICATE})


class JobError(BaseModel):
    code: str
    message_ru: str
    message_en: str


class JobRecord(BaseModel):
    """Everything the worker needs to resume a job after a crash at any step."""

    account_id: int
    job_id: str
    state: JobState = JobState.QUEUED
    trigger: TriggerKind
    origin: str = "hook"
    lead_id: int
    rule_hash: str
    batch_id: str | None = None
    event: DpEvent | None = None
    attempts: int = 0
    depth: int = 1  # DP: 1 = an automatic copy of a lead no automation made; bulk/manual copies: 0
    chain: list[str] = Field(default_factory=list)  # DP rule hashes from the chain's start down to this copy
    plan: CopyPlan | None = None
    attempt_at: float | None = None  # when the create was sent (uncertain until a checkpoint says otherwise)
    created: CreatedCopy | None = None
    result: dict[str, Any] | None = None  # CopyResult as JSON
    error: JobError | None = None  # why it failed or stopped (terminal states only)
    last_error: JobError | None = None  # the transient error the job last waited on
    failed_from: JobState | None = None
    note_written: bool | None = None
    dead_lettered: bool = False
    request_mark: str | None = None  # a manual copy: its request's fingerprint (same key, other body: refused)
    created_at: float = Field(default_factory=time.time)
    updated_at: float = Field(default_factory=time.time)

    @property
    def terminal(self) -> bool:
        return self.state in TERMINAL

    @property
    def copy_id(self) -> int | None:
        return self.created.lead_id if self.created else None

    def lineage(self) -> Lineage:
        """What the loop guard remembers of the copy this job created."""
        assert self.created is not None
        return Lineage(
            lead_id=self.created.lead_id,
            source_id=self.lead_id,
            depth=self.depth,
            chain=self.chain,
            job_id=self.job_id,
            trigger=self.trigger,
            origin=self.origin,
        )


class Lineage(BaseModel):
    """A lead we created: which lead it copies, how deep in a chain, by which rules."""

    lead_id: int
    source_id: int
    depth: int
    chain: list[str]
    job_id: str
    trigger: TriggerKind
    origin: str | None = None  # the job's origin (`delayed`: a DP copy made later); absent in older records


class FiledEvent(BaseModel):
    """A DP event that has a job: a later near-duplicate of it (same lead, stage, rule) is dropped.

    Filed under its time bucket `time // window`, so a read finds it from the neighbouring buckets.
    """

    lead_id: int
    pipeline_id: int
    status_id: int
    rule_hash: str
    time: int
    job_id: str
    window: int

    @property
    def stage_key(self) -> tuple[int, int, int, str]:
        return (self.lead_id, self.pipeline_id, self.status_id, self.rule_hash)

    @property
    def bucket(self) -> int:
        return self.time // max(self.window, 1)


class Activity(BaseModel):
    """One line of the widget's recent activity: a copy made, or a copy that failed."""

    kind: Literal["copy", "fail"]
    job_id: str
    entry: dict[str, Any]

    @classmethod
    def made(cls, job_id: str, *, source_id: int, lead_id: int, url: str, trigger: str) -> Activity:
        return cls(
            kind="copy",
            job_id=job_id,
            entry={"source_id": source_id, "lead_id": lead_id, "url": url, "trigger": trigger},
        )

    @classmethod
    def failed(cls, job_id: str, *, source_id: int, trigger: str, error: JobError) -> Activity:
        return cls(kind="fail", job_id=job_id, entry={"source_id": source_id, "trigger": trigger, **error.model_dump()})
