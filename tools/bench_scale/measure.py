"""Reading the results: when jobs finished (jobs table) and what amoCRM saw (the emulator's request log)."""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

from amo_emulator.requestlog import max_in_window
from dealcopy.jobs.model import TERMINAL
from dealcopy.storage.jobs import JobRepository
from tools.bench import _per_second

RATE = 7  # amoCRM: requests per second per account
_TERMINAL = {state.value for state in TERMINAL}


def drained(jobs: JobRepository, account_id: int, expected: int) -> Counter | None:
    """The states of the account's DP jobs once all `expected` have ended, else None."""
    states = [item["state"] for item in jobs.job_summaries(account_id, "dp-")]
    if len(states) >= expected and set(states) <= _TERMINAL:
        return Counter(states)
    return None


def wait_drained(
    jobs: JobRepository, expected: dict[int, int], *, give_up: float = 300, poll: float = 0.2
) -> dict[int, tuple[float, Counter]]:
    """Poll until every account's jobs have ended: account -> (when its drain was seen, job states).

    A light poll (states only): the workers share moto with it.
    """
    deadline = time.monotonic() + give_up
    done: dict[int, tuple[float, Counter]] = {}
    while len(done) < len(expected):
        for account_id, count in expected.items():
            if account_id not in done and (states := drained(jobs, account_id, count)) is not None:
                done[account_id] = (time.time(), states)
        if time.monotonic() > deadline:
            raise RuntimeError(f"{len(expected) - len(done)} accounts did not drain in {give_up:.0f} s")
        time.sleep(poll)
    return done


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
