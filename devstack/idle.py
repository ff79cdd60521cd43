"""When the local stack has nothing in flight: `GET /_devstack/idle` answers once it is so.

Tests that wait for work to finish (a hook's copy job, its retries, a scheduled run) or make sure
that nothing more happens (no duplicate copy) ask the stack instead of sleeping a guessed while.
The stack is idle when no function invocation runs (gateway routes, SQS pollers, scheduled
functions), no queue a poller feeds holds a message (visible, in flight: being handled or waiting
for its retry, or delayed) and the emulator sends no Digital Pipeline hook. A hook's answer comes
after its message is queued, so a test that asks after its last request cannot see the stack idle
before that work is done; two idle looks in a row cover the hand-overs between the parts.
A dead-letter queue is not fed to any function: what lands there is finished.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

_COUNTS = (
    "ApproximateNumberOfMessages",
    "ApproximateNumberOfMessagesNotVisible",
    "ApproximateNumberOfMessagesDelayed",
)


class TrackedFunctions:
    """The stack's functions, counting invocations in flight; everything else passes through."""

    def __init__(self, functions: Any) -> None:
        self._functions = functions
        self._lock = threading.Lock()
        self._running: Counter[str] = Counter()

    def invoke(self, logical_id: str, event: dict[str, Any]) -> Any:
        with self._lock:
            self._running[logical_id] += 1
        try:
            return self._functions.invoke(logical_id, event)
        finally:
            with self._lock:
                self._running[logical_id] -= 1

    def running(self) -> dict[str, int]:
        with self._lock:
            return {name: n for name, n in self._running.items() if n}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._functions, name)


class IdleProbe:
    """Says what the stack still has in flight; `wait` blocks until nothing is."""

    def __init__(
        self,
        functions: TrackedFunctions,
        sqs: Any,
        queue_urls: Callable[[], list[str]],
        others: dict[str, Callable[[], bool]] | None = None,
    ) -> None:
        self._functions = functions
        self._sqs = sqs
        self._queue_urls = queue_urls
        self._others = others or {}  # name -> "is it busy now?"

    def busy(self) -> dict[str, Any]:
        """Empty when idle; otherwise the running functions and the queues' message counts."""
        found: dict[str, Any] = {}
        running = self._functions.running()
        if running:
            found["functions"] = running
        found.update({name: True for name, is_busy in self._others.items() if is_busy()})
        for url in self._queue_urls():
            attributes = self._sqs.get_queue_attributes(QueueUrl=url, AttributeNames=list(_COUNTS))["Attributes"]
            counts = {key: int(attributes.get(key, 0)) for key in _COUNTS}
            if any(counts.values()):
                found[url.rsplit("/", 1)[-1]] = counts
        return found

    def wait(self, timeout: float, interval: float = 0.05) -> tuple[bool, dict[str, Any], float]:
        """(idle, what is still busy, seconds waited); polls every `interval` until idle or `timeout`."""
        started = time.monotonic()
        idle_looks = 0
        while True:
            busy = self.busy()
            idle_looks = 0 if busy else idle_looks + 1
            waited = time.monotonic() - started
            if idle_looks >= 2 or waited >= timeout:
                return not busy, busy, waited
            time.sleep(interval)
