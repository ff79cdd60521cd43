"""What the job runner asks of storage: the ports `storage.runs.RunStore` and `storage.countdowns.Countdowns`
implement. Here, below both, so `jobs` depends on what it needs and storage on nothing above it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from dealcopy.records.job import Activity, FiledEvent, JobRecord, Lineage


@dataclass(eq=False)
class Prefetched:
    """What a run reads once at its start."""

    jobs: dict[str, JobRecord] = field(default_factory=dict)
    lineage: dict[int, Lineage] = field(default_factory=dict)
    signers: dict[str, int] = field(default_factory=dict)  # rule hash -> the admin who signed it
    events: list[FiledEvent] = field(default_factory=list)  # DP events filed near the run's events


class RunStorage(Protocol):
    """One prefetch at a run's start, one batch write (`checkpoint`) after every step."""

    def prefetch(
        self,
        account_id: int,
        records: Sequence[JobRecord],
        events: Sequence[FiledEvent],
        rule_hashes: Iterable[str],
        window: int,
    ) -> Prefetched: ...

    def checkpoint(
        self,
        account_id: int,
        *,
        records: Sequence[JobRecord] = (),
        lineage: Sequence[Lineage] = (),
        activity: Sequence[Activity] = (),
        events: Sequence[FiledEvent] = (),
    ) -> None: ...

    def claimed(self, account_id: int, lead_ids: Iterable[int]) -> set[int]: ...

    def forget(self, account_id: int, job_id: str) -> None: ...


class CountdownStorage(Protocol):
    """Named counters the test seams arm and take (`jobs.seams`)."""

    def arm(self, name: str, count: int = 1) -> None: ...

    def armed(self) -> set[str]: ...

    def take(self, name: str) -> bool: ...
