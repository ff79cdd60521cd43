"""Reading the results: when jobs finished (jobs table) and what amoCRM saw (the emulator's request log)."""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from amo_emulator.requestlog import max_in_window
from dealcopy.records.job import TERMINAL
from dealcopy.storage.jobs import JobRepository
from tools.bench import _per_second

RATE = 7  # amoCRM: requests per second per account
_TERMINAL = {state.value for state in TERMINAL}


_QUEUE_COUNTS = [
    "ApproximateNumberOfMessages",
    "ApproximateNumberOfMessagesNotVisible",
    "ApproximateNumberOfMessagesDelayed",
]


def job_states(jobs: JobRepository, account_id: int) -> Counter:
    return Counter(item["state"] for item in jobs.job_summaries(account_id, "dp-"))


def wait_drained(
    sqs: Any, queue_url: str, jobs: JobRepository, expected: dict[int, int], *, give_up: float = 300
) -> tuple[float, dict[int, Counter]]:
    """Wait until the copy queue is empty and every account's DP jobs have ended; returns when the
    queue was first seen empty and each account's job states.

    The queue's counters are cheap to poll; the jobs table is read only to confirm, since moto
    serialises DynamoDB calls and a busy poll there would slow the workers it measures.
    """
    deadline = time.monotonic() + give_up
    while time.monotonic() < deadline:
        counts = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=_QUEUE_COUNTS)["Attributes"]
        if any(int(counts[name]) for name in _QUEUE_COUNTS):
            time.sleep(0.1)
            continue
        ended = time.time()
        states = {account_id: job_states(jobs, account_id) for account_id in expected}
        if all(sum(states[a].values()) >= n and set(states[a]) <= _TERMINAL for a, n in expected.items()):
            return ended, states
        time.sleep(0.5)  # a message between receive and delete, or a job written after it: look again
    raise RuntimeError(f"the copy queue did not drain in {give_up:.0f} s")


def minimum_seconds(requests: int) -> float:
    """The shortest time amoCRM's limit allows for `requests`: the first 7 at once, then 7 per second."""
    return max(requests - RATE, 1) / RATE


def window_figures(api: list[dict[str, Any]]) -> dict[str, int]:
    """Peak requests in any 1 s window and the 429s among `api` (emulator log entries)."""
    return {
        "peak_per_second": max_in_window([e["ts"] for e in api]),
        "status_429": sum(1 for e in api if e["status"] == 429),
    }


def per_second(api: list[dict[str, Any]], start: float) -> list[int]:
    """amoCRM requests in each whole second from `start`."""
    return _per_second([e["ts"] - start for e in api])


@contextmanager
def phase(name: str) -> Iterator[None]:
    """Says on stderr how long a phase of a run took (where the minutes of `make bench` go)."""
    started = time.monotonic()
    yield
    print(f"[bench_scale] {name}: {time.monotonic() - started:.1f} s", file=sys.stderr, flush=True)
