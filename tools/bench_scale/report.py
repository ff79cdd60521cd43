"""The scale section of BENCHMARKS.md: each figure beside its limit, as a ratio to it (≤ 1.00 holds)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

HEADING = "## Scale: Lambda instances sharing one account, many accounts at once"
DRAIN_LIMIT = 1.3  # drain time / the minimum the account's requests allow at 7/s
FAIRNESS_LIMIT = 2.0  # slowest account's drain / the median account's
RATE = 7


def _row(figure: str, value: str, limit: str, ratio: float | None) -> str:
    mark = "–" if ratio is None else f"{ratio:.2f}"
    return f"| {figure} | {value} | {limit} | {mark} |"


def one_account_lines(one: dict[str, Any]) -> list[str]:
    roles = ", ".join(
        f"{name} {sum(v for k, v in statuses.items() if 200 <= int(k) < 300)}/{sum(statuses.values())} answered 2xx"
        for name, statuses in one["roles"].items()
    )
    paths = ", ".join(f"{path} ×{n}" for path, n in one["by_path"].items())
    return [
        "### Four Lambda instances, one account",
        "",
        "Four OS processes, each a local stack playing one Lambda instance with its own memory and in-process "
        "throttle, share one moto server (DynamoDB, SQS FIFO) and one amoCRM emulator (7 requests/s, 429 above it): "
        "one takes manual copies (`POST /copies`, one a second), one settings lookups (`GET /widget/settings`, "
        f"one a second) and a burst of {one['hooks']} DP hooks (`POST /dp/hook`), one runs the worker that "
        "drains the burst from the queue, one runs a catch-up tick every 2 s. "
        "Only the shared budget (`AmoBudgetTable`) keeps them together under amoCRM's limit. Each instance "
        "first served another account once (warm, as busy Lambda instances are); the measured account is new "
        "to all of them (metadata and token cold). The drain runs "
        "from the first hook sent to the last job finished and is judged against every amoCRM request the account "
        "made meanwhile, since the other instances spend the same 7 requests/s. "
        f"The run is made {len(one.get('runs', [1]))} times: the figures below are of the run with the median "
        f"drain ratio (each run's: {one.get('runs', [])}), the peaks the highest and the 429s the sum of all runs. "
        f"Drained in {one['elapsed']:.1f} s with {one['requests_in_drain']} requests ({paths}); {roles}. "
        f"Job states: {one['job_states']}. The budget spaces send slots (1 s + 0.1 s margin) / 7 apart and "
        "sends no first 7 at once, so about 1.1x is the floor of the drain ratio.",
        "",
        f"amoCRM requests in each second from the first hook: {one['per_second']}.",
        "",
        "| figure | value | limit | ratio to the limit |",
        "|---|---:|---:|---:|",
        _row(
            "peak requests in any 1 s window (the run)",
            str(one["peak_per_second"]),
            str(RATE),
            one["peak_per_second"] / RATE,
        ),
        _row(
            "peak requests in any 1 s window (the account's whole life, install included)",
            str(one["lifetime_peak_per_second"]),
            str(RATE),
            one["lifetime_peak_per_second"] / RATE,
        ),
        _row("answers 429", str(one["status_429"]), "0", None),
        _row(
            f"drain time / minimum its {one['requests_in_drain']} requests allow at 7/s ({one['minimum']:.1f} s)",
            f"{one['ratio_to_minimum']:.2f}x",
            f"{DRAIN_LIMIT}x",
            one["ratio_to_minimum"] / DRAIN_LIMIT,
        ),
        "",
    ]


def many_accounts_lines(many: dict[str, Any]) -> list[str]:
    drains = ", ".join(f"{row['drain']:.1f}" for row in many["rows"])
    return [
        f"### {many['accounts']} accounts × {many['hooks_per_account']} hooks at once",
        "",
        f"Every account's burst arrives at once, interleaved, at one front instance (the DP hook function), "
        "after a warm-up on accounts of their own; "
        f"{many['concurrency']} worker instances (processes polling the queue, one batch at a time each: a worker "
        f"concurrency of {many['concurrency']}; the template's default `WorkerMaxConcurrency` is 10) "
        "drain the one FIFO queue, message group = account. An account's drain runs from the first hook sent to "
        f"its last amoCRM request. The local gateway and moto took {many['intake']:.0f} s to take in all the hooks "
        "(on AWS the hook function scales out), so the drains mostly follow the intake; what the ratio shows is "
        "that no account was left behind. "
        f"{many['total_requests']} amoCRM requests in all, done in "
        f"{many['total_drain']:.1f} s. Each account's drain in seconds, fastest first: {drains}.",
        "",
        "| figure | value | limit | ratio to the limit |",
        "|---|---:|---:|---:|",
        _row(
            f"slowest drain / median drain ({many['slowest']:.1f} s / {many['median']:.1f} s)",
            f"{many['slowest_to_median']:.2f}x",
            f"{FAIRNESS_LIMIT}x",
            many["slowest_to_median"] / FAIRNESS_LIMIT,
        ),
        _row(
            "peak requests of one account in any 1 s window",
            str(many["peak_per_second"]),
            str(RATE),
            many["peak_per_second"] / RATE,
        ),
        _row("answers 429 (all accounts)", str(many["status_429"]), "0", None),
        "",
    ]


def failures(one: dict[str, Any] | None, many: dict[str, Any] | None) -> list[str]:
    """The limits a run broke (empty: all hold)."""
    broken = []
    if one is not None:
        if max(one["peak_per_second"], one["lifetime_peak_per_second"]) > RATE:
            broken.append("one account: more than 7 requests in a 1 s window")
        if one["status_429"]:
            broken.append("one account: 429 answers")
        if one["ratio_to_minimum"] > DRAIN_LIMIT:
            broken.append(f"one account: drain {one['ratio_to_minimum']:.2f}x > {DRAIN_LIMIT}x")
    if many is not None:
        if many["slowest_to_median"] > FAIRNESS_LIMIT:
            broken.append(f"many accounts: slowest/median {many['slowest_to_median']:.2f}x > {FAIRNESS_LIMIT}x")
        if many["peak_per_second"] > RATE or many["status_429"]:
            broken.append("many accounts: an account over 7/s or 429 answers")
    return broken


def section(one: dict[str, Any] | None, many: dict[str, Any] | None) -> str:
    lines = [
        HEADING,
        "",
        f"Written by `python -m tools.bench_scale` (part of `make bench`) on {time.strftime('%Y-%m-%d')} "
        f"(Python {sys.version.split()[0]}, {os.cpu_count()} cores); every process on this one machine. "
        "What these figures mean at 10, 1,000 and 10,000 accounts: docs/scaling.md.",
        "",
    ]
    lines += one_account_lines(one) if one else []
    lines += many_accounts_lines(many) if many else []
    return "\n".join(lines)


def write(path: Path, text: str, heading: str = HEADING) -> None:
    """Put the section at the end of the file, replacing an earlier version of it (other sections stay)."""
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    head, found, rest = old.partition(heading)
    tail = rest[rest.find("\n## ") + 1 :] if found and "\n## " in rest else ""
    body = head.rstrip("\n") + "\n\n" + (tail.rstrip("\n") + "\n\n" if tail else "")
    path.write_text(body + text.rstrip("\n") + "\n", encoding="utf-8")
