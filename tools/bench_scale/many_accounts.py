"""Multi-account run: many accounts' DP bursts at once, drained by a fixed pool of worker invocations.

The hooks of all accounts arrive interleaved at one front instance (the DP hook function);
the worker instances poll the one FIFO queue (group = account), one batch at a time each, so
their number plays the event source's `MaximumConcurrency`. Each account's drain time
runs from the first hook sent to its last amoCRM request; fairness is the slowest account's
drain against the median one's.
"""

from __future__ import annotations

import statistics
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from devstack.client import api_requests, request_log_mark
from tools.bench_scale.fleet import Fleet
from tools.bench_scale.load import hook_forms, interleave, seed_leads, send_hooks, sign_rule, warm_up
from tools.bench_scale.measure import minimum_seconds, phase, window_figures

WORKERS = 5  # worker instances: half the template's default WorkerMaxConcurrency (10), for 2 cores


def run(accounts: int = 20, per_account: int = 50, workers: int = WORKERS) -> dict[str, Any]:
    with phase("the multi-account run"), Fleet([False] + [True] * workers) as fleet:
        front = fleet.instances[0]
        with phase("warm up"):
            warm_up(fleet, front, accounts=2 * workers)  # likely to reach every worker instance

        def prepare(n: int) -> tuple[dict[str, Any], list[dict[str, str]]]:
            account = fleet.install(f"scale-{n:02d}", via=front)
            leads = seed_leads(fleet.control, account, per_account)
            return account, hook_forms(account, leads, sign_rule(front.stack, account))

        with phase("install and seed the accounts"), ThreadPoolExecutor(4) as pool:
            chosen, bursts = zip(*pool.map(prepare, range(accounts)), strict=True)
        marks = {a["id"]: request_log_mark(fleet.control, a["id"]) for a in chosen}
        with phase(f"send {accounts * per_account} hooks"):
            sent = send_hooks(f"{front.gateway_url}/dp/hook", interleave(list(bursts)))
            sent["intake"] = time.time() - sent["first_sent_at"]
        with phase("drain after the last hook"):
            _, drained = fleet.wait_drained({a["id"]: per_account for a in chosen}, give_up=420)
        logs = {a["id"]: api_requests(fleet.control, a["id"], marks[a["id"]]) for a in chosen}
    return {**figures(logs, drained, sent["first_sent_at"], workers), "intake": sent["intake"]}


def figures(
    logs: dict[int, list[dict[str, Any]]], drained: dict[int, Counter], started: float, workers: int
) -> dict[str, Any]:
    rows = []
    for account_id, api in logs.items():
        last = max((e["ts"] for e in api), default=started)
        rows.append(
            {
                "account": account_id,
                "drain": last - started,
                "requests": len(api),
                "minimum": minimum_seconds(len(api)),
                "done": drained[account_id].get("done", 0),
                **window_figures(api),
            }
        )
    drains = [row["drain"] for row in rows]
    median = statistics.median(drains)
    return {
        "accounts": len(rows),
        "hooks_per_account": max(sum(states.values()) for states in drained.values()),
        "concurrency": workers,
        "rows": sorted(rows, key=lambda row: row["drain"]),
        "median": median,
        "slowest": max(drains),
        "fastest": min(drains),
        "slowest_to_median": max(drains) / median,
        "peak_per_second": max(row["peak_per_second"] for row in rows),
        "status_429": sum(row["status_429"] for row in rows),
        "total_requests": sum(row["requests"] for row in rows),
        "total_drain": max(drains),
    }
