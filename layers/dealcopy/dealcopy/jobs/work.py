"""What the job steps pass along: each job of a run (`Work`), the run's context (`Run`), its report.

A `Work` carries its record (the state machine's state) and at most one `Verdict`: how this
run ends the job when it can go no further (failed, stopped by the loop guard, or left for
the queue to retry). A job with no verdict and a non-terminal state is still open.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from dealcopy.accounts import Account
from dealcopy.copying.engine import CopyEngine
from dealcopy.copying.rules import CopyRule
from dealcopy.jobs.dedup import filed_event
from dealcopy.jobs.seams import Seams
from dealcopy.records.job import FiledEvent, JobError, JobMessage, JobRecord, JobState
from dealcopy.records.ports import Prefetched, RunStorage

if TYPE_CHECKING:
    from dealcopy.copying.write_back import WriteBackRule


@dataclass(frozen=True)
class JobPolicy:
    max_attempts: int = 5
    settle_seconds: float = 30.0
    inline_settle_max: float = 10.0  # wait inline for a settle shorter than this (else retry later)
    settle_reserve: float = 30.0  # time a run keeps after an inline settle (a manual copy has its deadline)
    max_depth: int = 3
    dedup_window: int = 60
    batch_size: int = 0  # jobs of one account per run, its backlog included (0: only the delivered ones)
    gather_seconds: float = 0.0  # wait up to this long while the account's backlog still grows


class Ending(StrEnum):
    FAIL = "fail"  # permanent: finish as failed
    STOP = "stop"  # loop guard: finish as stopped
    RETRY = "retry"  # transient: leave for the queue (or fail on the last delivery)


@dataclass(frozen=True, eq=False)  # carries the exception behind it: compared by identity
class Verdict:
    ending: Ending
    error: JobError
    cause: BaseException | None = None  # the exception behind it: a manual copy answers with it


@dataclass(eq=False)
class Work:
    """One job in this run."""

    record: JobRecord
    message: JobMessage
    final: bool = False  # the queue will not deliver it again: finish it now
    rule: CopyRule | None = None
    write_back: WriteBackRule | None = None  # a DP write-back action instead of a copy rule (`steps.write_back`)
    verdict: Verdict | None = None
    waiting: JobError | None = None  # a create amoCRM did not confirm (reconciled this run if it can)
    resend: bool = False  # its create was not confirmed and its lead not found: sent again, in a smaller body

    @property
    def open(self) -> bool:
        return not self.record.terminal and self.verdict is None

    def end(self, ending: Ending, error: JobError, cause: BaseException | None = None) -> None:
        self.verdict = Verdict(ending, error, cause)

    def fail(self, error: JobError, cause: BaseException | None = None) -> None:
        self.end(Ending.FAIL, error, cause)

    def retry(self, error: JobError, cause: BaseException | None = None) -> None:
        self.end(Ending.RETRY, error, cause)

    def in_state(self, state: JobState) -> bool:
        return self.record.state is state


@dataclass(eq=False)
class RunReport:
    """Per job: None when it reached a terminal state, else the transient error it waits on."""

    outcomes: dict[str, JobError | None] = field(default_factory=dict)
    dead_letters: list[JobMessage] = field(default_factory=list)
    elsewhere: set[str] = field(default_factory=set)  # backlog jobs left alone: their own delivery drives them

    def pending(self, job_id: str) -> bool:
        return self.outcomes.get(job_id) is not None


@dataclass(eq=False)
class Run:
    """One account's run: its collaborators, what was read at the start, and what was filed since."""

    account_id: int
    account: Account | None
    engine: CopyEngine | None
    store: RunStorage
    policy: JobPolicy
    dead_letter: Callable[[JobMessage], None]
    seams: Seams | None = None
    clock: Callable[[], float] = time.time
    sleep: Callable[[float], None] = time.sleep
    time_left: Callable[[], float] = lambda: 60.0
    crash_prefix: str = ""  # names the seams of a manual copy apart from the worker's (`manual.create.sent`)
    pre: Prefetched = field(default_factory=Prefetched)
    filed: set[str] = field(default_factory=set)  # jobs whose DP event is in the near-duplicate index

    @property
    def live_engine(self) -> CopyEngine:
        """The engine of an active account (steps after the account check only)."""
        assert self.engine is not None
        return self.engine

    def crash(self, point: str) -> None:
        if self.seams is not None:
            self.seams.crash_point(self.crash_prefix + point)

    def events_to_file(self, works: Iterable[Work]) -> list[FiledEvent]:
        """DP events that now have a job (a later near-duplicate of them is dropped); each filed once."""
        found = []
        for work in works:
            record = work.record
            if record.job_id in self.filed or record.state is JobState.DUPLICATE:
                continue
            event = filed_event(record, self.policy.dedup_window)
            if event is not None:
                self.filed.add(record.job_id)
                found.append(event)
        return found
