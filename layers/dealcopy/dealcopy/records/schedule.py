"""What the store remembers: repeats and pending delayed copies.

A repeat is `active` (its next occurrence has a schedule), `paused` (no schedule), `finished`
(the sequence ended) or `stopped` (it stopped itself, `stop_code` says why: the source was
deleted, ...). A pending copy is a DP copy waiting for its due time; it is deleted once
copied or cancelled.
"""

from __future__ import annotations

import time
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from dealcopy.records.copy_delay import Delay
from dealcopy.records.job import DpEvent
from dealcopy.records.repeat_calendar import RepeatSchedule


class RepeatState(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    FINISHED = "finished"
    STOPPED = "stopped"


class Repeat(BaseModel):
    account_id: int
    repeat_id: str
    lead_id: int
    rule: str | None = None  # canonical JSON of the rule, or a preset (+ overrides) read at each occurrence
    preset_id: str | None = None
    overrides: dict[str, Any] | None = None
    schedule: RepeatSchedule
    state: RepeatState = RepeatState.ACTIVE
    next_n: int | None = None
    next_at: datetime | None = None  # UTC; None unless active
    fired: int = 0  # occurrences handled (copied or not)
    last_fired_at: datetime | None = None
    stop_code: str | None = None
    request_hash: str = ""  # a replay with the same idempotency key but another body is refused
    created_by: int | None = None
    created_at: float = Field(default_factory=time.time)
    updated_at: float = Field(default_factory=time.time)


class PendingCopy(BaseModel):
    account_id: int
    pending_id: str
    job_id: str  # the DP job it becomes at due time
    lead_id: int
    rule: str  # canonical signed JSON of the DP rule
    rule_hash: str
    event: DpEvent
    delay: Delay
    due_at: datetime  # UTC; a fire at any other time is stale
    timezone: str
    created_at: float = Field(default_factory=time.time)
