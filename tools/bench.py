"""`make bench`: measures what the issues promise, as ratios to the limits, and writes BENCHMARKS.md.

- handler import (cold start) time of each function, as a ratio to a bare `import boto3`;
- a burst of amoCRM requests through the shared client against the emulator's
  7 requests/s limit: 429s seen, peak per second, drain time as a ratio to the
  minimum the limit allows.
Results depend on the machine; ratios make runs comparable.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "layers" / "dealcopy"), str(ROOT / "emulator"), str(ROOT)]

FUNCTIONS = ["oauth", "widget_settings", "copies", "dp_hook", "worker"]
RUNS = 5
_IMPORT_PROBE = """
import importlib.util, sys, time
start = time.perf_counter()
target = sys.argv[1]
if target == "boto3":
    import boto3  # noqa: F401
else:
    spec = importlib.util.spec_from_file_location("handler", target)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
print(time.perf_counter() - start)
"""


def import_seconds(target: str) -> float:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "layers" / "dealcopy"),
        "PYTHONDONTWRITEBYTECODE": "0",
        "AWS_DEFAULT_REGION": "eu-central-1",
        "POWERTOOLS_METRICS_DISABLED": "true",
    }
    samples = []
    for _ in range(RUNS + 1):  # the first run warms the bytecode cache, as a deployed package has it
        out = subprocess.run(  # noqa: S603
            [sys.executable, "-c", _IMPORT_PROBE, target], env=env, capture_output=True, text=True, check=True
        )
        samples.append(float(out.stdout.strip()))
    return statistics.median(samples[1:])


def cold_starts() -> list[tuple[str, float, float]]:
    base = import_seconds("boto3")
    rows = [("bare `import boto3`", base, 1.0)]
    for name in FUNCTIONS:
        seconds = import_seconds(str(ROOT / "functions" / name / "app.py"))
        rows.append((f"functions/{name}", seconds, seconds / base))
    return rows


def request_burst(count: int = 200, threads: int = 4) -> dict[str, float]:
    from amo_emulator.control import EmulatorControl
    from amo_emulator.server import EmulatorServer
    from dealcopy.amo.client import AmoClient
    from dealcopy.amo.counting import RequestCounter
    from dealcopy.amo.ratelimit import SlidingWindowLimiter
    from dealcopy.amo.tokens import StaticToken

    with EmulatorServer() as server:
        control = EmulatorControl(server.url)
        connected = control.connect("bench", demo=True)
        account_id = connected["account"]["id"]
        api = AmoClient(
            server.url,
            StaticToken(connected["tokens"]["access_token"]),
            limiter=SlidingWindowLimiter(rate=7),
            account_key="bench",
            counter=RequestCounter(),
        )
        started = time.monotonic()
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(lambda _: api.get("/api/v4/account"), range(count)))
        elapsed = time.monotonic() - started
        stats = control.stats(account_id)
    minimum = (count - 7) / 7  # the first 7 go at once, then 7 per second
    return {
        "requests": stats["api_total"],
        "status_429": stats["status_429"],
        "peak_per_second": stats["max_per_second"],
        "elapsed": elapsed,
        "ratio_to_minimum": elapsed / minimum,
    }


def render(cold: list[tuple[str, float, float]], burst: dict[str, float]) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` on {time.strftime('%Y-%m-%d')} (Python {sys.version.split()[0]}, "
        f"{os.cpu_count()} cores). Ratios are what to compare between runs; seconds are for orientation.",
        "",
        "## Handler import (cold start)",
        "",
        f"Median of {RUNS} fresh interpreters, bytecode cached, relative to a bare `import boto3` in the same run.",
        "",
        "| module | seconds | ratio to `import boto3` |",
        "|---|---:|---:|",
        *[f"| {name} | {sec:.3f} | {ratio:.2f}x |" for name, sec, ratio in cold],
        "",
        "## amoCRM request burst through the shared client",
        "",
        f"{burst['requests']:.0f} requests from 4 threads into one emulated account limited to 7 requests/s.",
        "",
        "| figure | value | limit |",
        "|---|---:|---:|",
        f"| answers 429 | {burst['status_429']:.0f} | 0 |",
        f"| peak requests in any 1 s window | {burst['peak_per_second']:.0f} | 7 |",
        f"| drain time / minimum at 7 req/s | {burst['ratio_to_minimum']:.2f}x | 1.25x |",
        "",
        "Pending (measured once the features exist): amoCRM requests per copy (manual, warm and cold), "
        "DP burst drain, webhook answer latency.",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    cold = cold_starts()
    burst = request_burst()
    report = render(cold, burst)
    (ROOT / "BENCHMARKS.md").write_text(report, encoding="utf-8")
    print(report)
    print(json.dumps({"burst": burst}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
