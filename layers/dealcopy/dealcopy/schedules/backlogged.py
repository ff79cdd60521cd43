"""A scheduler that also puts every one-time fire into its account's backlog (`storage.backlog`).

EventBridge Scheduler delivers each fire to the copy queue as a message of its own, and the queue
hands the worker at most 10 messages of an account at a time: 200 yearly renewals armed for the
same minute would take 20 runs. With the fire in the backlog too, the first run of that minute takes
them all (docs/scaling.md, "Batching per account"). The scheduler stays the source of truth: a
fire's own delivery still comes, and finds its occurrence handled; an item whose schedule was
deleted or moved meanwhile is opened like a stale delivery (nothing to copy) and dropped.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dealcopy.observability import logger
from dealcopy.records.scheduled_fire import as_delivered
from dealcopy.schedules.ports import FireBacklog, Scheduler


class FiresInBacklog:
    """`Scheduler` that writes one-time fires to the account's backlog as well; the rest is delegated."""

    def __init__(self, scheduler: Scheduler, backlog: FireBacklog) -> None:
        self._scheduler = scheduler
        self._backlog = backlog

    def put_once(self, name: str, at: datetime, input: str, group_id: str) -> None:
        self._scheduler.put_once(name, at, input, group_id)
        try:  # armed already: the backlog only lets the fire run with the others of its minute
            self._backlog.add_fire(int(group_id), at, as_delivered(input, at), name)
        except Exception:
            logger.warning("could not add a fire to the account's backlog", extra={"schedule": name})

    def __getattr__(self, name: str) -> Any:
        return getattr(self._scheduler, name)
