"""What the worker asks of schedules (answered by `dealcopy.schedules.firing`, wired in `wiring`).

A queue message is a copy-job message or a schedule's fire. A fire becomes at most one copy
job of the ordinary kind, run with the account's other jobs (exactly once through its job
record), and a follow-up once that job has ended (arm a repeat's next occurrence, drop a
delayed copy's pending record). A DP job whose rule carries a delay is deferred: planned for
its due time instead of run. The protocols live here because `jobs` sits below `schedules`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Sequence

    from dealcopy.accounts import Account
    from dealcopy.copying.engine import CopyEngine
    from dealcopy.records.job import JobMessage


class FireRun(Protocol):
    """One delivery of a fire: the job to run now (None: nothing to copy), and what follows it."""

    @property
    def message(self) -> JobMessage | None: ...

    def after(self) -> None:
        """The job has ended (copied or failed for good): move the schedule on."""


class Fires(Protocol):
    def account_of(self, body: str) -> int | None:
        """The account of a fire's message body; None when the body is not a fire."""

    def open_all(self, bodies: Sequence[str], account: Account | None, engine: CopyEngine | None) -> list[FireRun]:
        """Decide what each fire means now, in order (reads their sources at once, may write notes on them)."""

    def defer(self, message: JobMessage, engine: CopyEngine) -> bool:
        """Plan a delayed DP job for its due time; False: run it now (no delay, already due, or known)."""


DEFERRABLE_ORIGINS = frozenset({"hook", "catchup"})  # a DP job not yet planned (a delayed one comes back as `delayed`)
