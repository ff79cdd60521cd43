"""Reading an account's backlog for a run: wait while it still grows, then take it (`storage.backlog`).

SQS hands the worker at most 10 messages of an account's group, and no more of that group while
those are in flight; the backlog holds every queued message, so the run can take the lot (up to
the policy's batch size) and pay one read, one create per 50, one link and one notes call for all
of them. A burst arrives over a second or two: waiting while the backlog still grows (a short
count query per step, never longer than `gather_seconds`) turns it into one run instead of many.
Schedules' fires wait in the backlog under their due time; a read takes what is due by its horizon.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Protocol

from dealcopy.records.job_message import JobMessage

GATHER_STEP = 0.25  # seconds between two counts while the backlog grows


class QueuedItem(Protocol):
    @property
    def sk(self) -> str: ...

    @property
    def message(self) -> JobMessage | None: ...

    @property
    def fire(self) -> str | None: ...


class BacklogReader(Protocol):
    def count(self, account_id: int, limit: int, horizon: float | None = None) -> int: ...

    def oldest(self, account_id: int, limit: int, horizon: float | None = None) -> Sequence[QueuedItem]: ...

    def drop(self, account_id: int, sks: Sequence[str]) -> None: ...


def gather(
    backlog: BacklogReader,
    account_id: int,
    limit: int,
    gather_seconds: float,
    sleep: Callable[[float], None] = time.sleep,
    horizon: float | None = None,
) -> Sequence[QueuedItem]:
    """The account's oldest `limit` backlog items due by `horizon`, once the backlog is full or stopped growing."""
    seen = backlog.count(account_id, limit, horizon)
    waited = 0.0
    while 0 < seen < limit and waited < gather_seconds:
        sleep(GATHER_STEP)
        waited += GATHER_STEP
        if horizon is not None:
            horizon += GATHER_STEP
        now = backlog.count(account_id, limit, horizon)
        if now <= seen:
            break
        seen = now
    return backlog.oldest(account_id, limit, horizon) if seen else []
