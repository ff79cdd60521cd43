"""`make bench`: measures what the issues promise, as ratios to the limits, and writes BENCHMARKS.md.

- handler import (cold start) time of each function, as a ratio to a bare `import boto3`, and the same
  ratio counted in instructions (`bench_import_ab.counted_ratios`);
- a burst of amoCRM requests through the shared client against the emulator's
  7 requests/s limit: 429s seen, peak per second, drain time as a ratio to the
  minimum the limit allows;
- a burst of 200 Digital Pipeline hooks into one account through the local stack (gateway,
  moto SQS FIFO, worker, emulator at 7 req/s): amoCRM requests per copy, 429s, drain time
  as a ratio to the minimum its request count allows, and the webhook's answer time p50/p99;
- amoCRM requests of one manual copy, cold (metadata not cached) and warm;
- the anonymised copy's detector on its labelled corpus: recall and false positives (`bench_pii`).
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
from typing import Any, NamedTuple

from tools import bench_import_ab
from tools.import_probe import FUNCTIONS, IMPORT_PROBE, ROOT, probe_env

sys.path[:0] = [str(ROOT / "layers" / "dealcopy"), str(ROOT / "emulator"), str(ROOT)]

# The two routes amoCRM waits on (DP hook, settings page) get the tighter bound: a slow answer there is seen.
IMPORT_LIMITS = {"dp_hook": 1.5, "widget_settings": 1.5}
DEFAULT_IMPORT_LIMIT = 2.0
COLD_HEADING = "## Handler import (cold start)"
DP_HOOKS = 200
# The DP hook function's instances taking a burst in: on AWS amoCRM's concurrent hooks land on instances of
# their own; here this process's gateway plus FRONT_INSTANCES - 1 stack processes (`tools.bench_scale.instance`).
FRONT_INSTANCES = 4
RUNS = 5


def _import_probe(target: str) -> tuple[float, float]:
    """(wall, CPU) seconds to import `target` in a fresh interpreter."""
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", IMPORT_PROBE, target], env=probe_env(), capture_output=True, text=True, check=True
    )
    wall, cpu = out.stdout.split()
    return float(wall), float(cpu)


class ColdStart(NamedTuple):
    name: str
    seconds: float  # CPU seconds of the import (median)
    ratio: float  # CPU time of the import / a bare `import boto3` (median of the paired samples): judged
    wall_ratio: float  # the same in wall-clock time, shown beside it
    counted: float | None = None  # instructions of one import / those of `import boto3`; None without valgrind


def cold_starts() -> list[ColdStart]:
    """CPU time of each handler's import as a ratio to `import boto3`, median of RUNS paired samples.

    Each sample imports boto3 and then the handler, each in a fresh interpreter, one right
    after the other, and takes their ratio: a machine busy with other work slows both sides
    of a ratio alike (measured far apart, a minute of load on one side moved a ratio by 2x).
    CPU time, not wall time, for the same reason: on an idle machine the two agree (an import
    is single-threaded and its files are in the page cache), on a shared one only CPU time is
    still the import's own. A first round, not counted, warms the bytecode and page caches.
    """
    boto3_cpu: list[float] = []
    samples: dict[str, list[float]] = {name: [] for name in FUNCTIONS}
    ratios: dict[str, list[float]] = {name: [] for name in FUNCTIONS}
    wall_ratios: dict[str, list[float]] = {name: [] for name in FUNCTIONS}
    for round_no in range(RUNS + 1):
        for name in FUNCTIONS:
            base_wall, base = _import_probe("boto3")
            wall, seconds = _import_probe(str(ROOT / "functions" / name / "app.py"))
            if round_no:
                boto3_cpu.append(base)
                samples[name].append(seconds)
                ratios[name].append(seconds / base)
                wall_ratios[name].append(wall / base_wall)
    counted = bench_import_ab.counted_ratios()
    rows = [ColdStart("bare `import boto3`", statistics.median(boto3_cpu), 1.0, 1.0, 1.0 if counted else None)]
    rows += [
        ColdStart(
            f"functions/{n}",
            statistics.median(samples[n]),
            statistics.median(ratios[n]),
            statistics.median(wall_ratios[n]),
            counted.get(n) if counted else None,
        )
        for n in FUNCTIONS
    ]
    return rows


def import_limit(row_name: str) -> float | None:
    if not row_name.startswith("functions/"):
        return None
    return IMPORT_LIMITS.get(row_name.removeprefix("functions/"), DEFAULT_IMPORT_LIMIT)


def cold_start_section(cold: list[ColdStart]) -> list[str]:
    def limit(name: str) -> str:
        bound = import_limit(name)
        return "–" if bound is None else f"{bound:.1f}x"

    return [
        COLD_HEADING,
        "",
        f"CPU seconds to import the handler module in a fresh interpreter, bytecode cached; the ratio is the "
        f"median of {RUNS} samples of the import divided by a bare `import boto3` measured just before it "
        "(`python -m tools.bench imports` measures this table alone; `cold_starts` says why CPU time). "
        "The wall-clock ratio of the same samples is shown beside it; on a quiet machine the two agree. "
        "On a shared host these ratios move by 0.15x between runs. The counted ratio does not: the instructions "
        "of one import (callgrind, fixed hash seed) over those of a bare `import boto3`, the same to the hundredth "
        "from run to run, so it is the figure that says whether an import got heavier (– where valgrind is "
        "missing); `make imports-against REF=<commit>` counts an older tree's beside this one's "
        "(`tools/bench_import_ab.py`).",
        "",
        "| module | seconds | ratio to `import boto3` | wall-clock ratio | counted ratio | limit |",
        "|---|---:|---:|---:|---:|---:|",
        *[
            f"| {c.name} | {c.seconds:.3f} | {c.ratio:.2f}x | {c.wall_ratio:.2f}x | {_counted(c.counted)} "
            f"| {limit(c.name)} |"
            for c in cold
        ],
        "",
    ]


def _counted(ratio: float | None) -> str:
    return "–" if ratio is None else f"{ratio:.2f}x"


def over_limit(cold: list[ColdStart]) -> list[str]:
    return [c.name for c in cold if (bound := import_limit(c.name)) is not None and c.ratio > bound]


def imports_only() -> int:
    """`python -m tools.bench imports`: the cold-start table alone, written into BENCHMARKS.md in place."""
    cold = cold_starts()
    section = cold_start_section(cold)
    path = ROOT / "BENCHMARKS.md"
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n\n"
    head, found, rest = old.partition(COLD_HEADING)
    tail = rest[rest.find("\n## ") + 1 :] if found and "\n## " in rest else ""
    path.write_text(head + "\n".join(section) + ("\n" + tail if tail else ""), encoding="utf-8")
    print("\n".join(section))
    failed = over_limit(cold)
    if failed:
        print(f"over the limit: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


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


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _install(stack, control, subdomain: str) -> dict:
    from devstack.client import install_via_oauth

    account = control.create_account(subdomain, demo=True, limits={"rate": 7})
    (answer,) = install_via_oauth(stack, control, account)
    answer.raise_for_status()
    return account


def _cold_metadata(account_id: int) -> None:
    """Forget the cached account metadata, as a fresh Lambda process would not have it."""
    from dealcopy.copying.metadata import default_cache

    default_cache.invalidate(str(account_id))


def _out_of_process(args: list[str], ready: str) -> tuple[subprocess.Popen, str]:
    """Start a server in a process of its own; returns it and its URL."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "emulator"), str(ROOT / "layers" / "dealcopy")]),
    }
    proc = subprocess.Popen(  # noqa: S603 - our own modules
        [sys.executable, *args], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    if ready == "READY":
        line = proc.stdout.readline()
        return proc, line.split()[1]
    import httpx

    from devstack.http import HTTP

    for _ in range(100):
        try:
            HTTP.get(f"{ready}/_emulator/health", timeout=1).raise_for_status()
            return proc, ready
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"{args} did not start")


def _instances(emulator_url: str, moto_url: str, config: Any, count: int, *, poll: bool) -> list[Any]:
    """`count` "Lambda instances": stack processes (`tools.bench_scale.instance`) sharing moto and the emulator,
    each polling the copy queue when `poll` (a worker), otherwise only serving HTTP (a DP hook instance)."""
    from tools.bench_scale.fleet import launch

    settings = [f"{name}={value}" for name, value in config.extra_env.items()]
    started = []
    try:
        for _ in range(count):
            started.append(
                launch(emulator_url, moto_url, config.client_id, config.client_secret, poll=poll, settings=settings)
            )
            started[-1].ready()
    except Exception:
        _stop(started)
        raise
    return started


def _stop(instances: list[Any]) -> None:
    for instance in instances:
        instance.proc.terminate()
        instance.proc.wait(timeout=15)


def _warm_worker(stack: Any, control: Any, gateways: list[str], account: dict[str, Any]) -> None:
    """DP copies of another account, one through each front instance and all through the worker instance, so
    that they are warm (code imported, AWS clients made) as busy Lambda instances are; the measured account
    stays new to them (metadata and token cold). Cold starts are measured on their own (`cold_starts`)."""

    from dealcopy import wiring
    from devstack.http import HTTP
    from tools.bench_scale.load import hook_forms, seed_leads, sign_rule

    forms = hook_forms(account, seed_leads(control, account, max(2, len(gateways))), sign_rule(stack, account))
    for i, form in enumerate(forms):
        HTTP.post(f"{gateways[i % len(gateways)]}/dp/hook", data=form, timeout=30).raise_for_status()
    give_up = time.monotonic() + 60
    while {item["state"] for item in wiring.job_records().job_summaries(account["id"], "dp-")} != {"done"}:
        if time.monotonic() > give_up:
            raise RuntimeError("the worker's warm-up copies did not finish in a minute")
        time.sleep(0.2)


def dp_burst_and_manual_copies(
    hooks: int = DP_HOOKS, batch_size: int | None = None, manual: bool = True, gather: float | None = None
) -> tuple[dict[str, float], dict[str, float]]:
    """Through the local stack; moto, the emulator and the worker run in processes of their own (AWS and
    amoCRM are remote, and each Lambda function has instances of its own), so only the front handlers
    (gateway, OAuth, widget, DP hook) share this process."""
    from devstack.stack import free_port

    port = free_port("127.0.0.1")
    emulator, emulator_url = _out_of_process(
        ["-m", "amo_emulator", "--port", str(port), "--log-level", "warning"], f"http://127.0.0.1:{port}"
    )
    moto, moto_url = _out_of_process(["-m", "devstack.moto_server"], "READY")
    try:
        return _dp_burst_and_manual_copies(emulator_url, moto_url, hooks, batch_size, manual, gather)
    finally:
        for proc in (emulator, moto):
            proc.terminate()
            proc.wait(timeout=10)


def _dp_burst_and_manual_copies(
    emulator_url: str, moto_url: str, hooks: int, batch_size: int | None, with_manual: bool, gather: float | None
) -> tuple[dict[str, float], dict[str, float]]:
    from amo_emulator.control import EmulatorControl
    from amo_emulator.seed_demo import CATALOGS, CONTACTS, FIELD, USERS, pipeline_id, status_id
    from dealcopy import wiring
    from devstack.client import StackInfo, api_requests, call_widget, dp_hook_form, request_log_mark
    from devstack.stack import StackConfig
    from tools.bench_scale.instance import InstanceStack
    from tools.bench_scale.measure import wait_drained

    trigger = {"pipeline_id": pipeline_id("Воронка"), "status_id": status_id("Воронка", "Оплачен счёт")}
    target = {"pipeline_id": pipeline_id("Выполнение"), "status_id": status_id("Выполнение", "В работе")}
    # No test seams (production has none): the worker does not look for armed crashes.
    env = {"TEST_SEAMS": "false"}
    if batch_size is not None:  # JOB_BATCH_SIZE=0: today's path, only the 10 messages the queue hands a worker
        env["JOB_BATCH_SIZE"] = str(batch_size)
    if gather is not None:
        env["JOB_GATHER_SECONDS"] = str(gather)
    config = StackConfig(schedule_interval=0, emulator_url=emulator_url, moto_url=moto_url, extra_env=env)
    # This process plays the front functions (gateway, OAuth, widget, DP hook); the worker is a process of
    # its own, as on AWS every function runs in instances of its own: sharing one interpreter, the hook
    # intake took the worker's time (the GIL) and the drain measured the local stack, not the worker.
    with InstanceStack(config, poll=False) as stack:
        info = stack.describe()
        ready = StackInfo.from_ready(info)
        control = EmulatorControl(info["emulator_url"])
        gateway = info["gateway_url"]

        # amoCRM requests of one manual copy (products, no fields): cold metadata, then warm.
        account = _install(ready, control, "bench-manual")
        manual = {}
        rule = {**target, "fields": [], "catalogs": [CATALOGS["Товары"]]}
        for label in ("cold", "warm") if with_manual else ():
            if label == "cold":
                _cold_metadata(account["id"])
            time.sleep(1.2)  # a fresh rate window, so the count is not mixed with the install's calls
            mark = request_log_mark(control, account["id"])
            answer = call_widget(
                ready,
                "POST",
                "/copies",
                account,
                json={"lead_id": 24_002_811, "rule": rule, "idempotency_key": f"bench-{label}-{time.time_ns()}"},
            )
            answer.raise_for_status()
            manual[label] = len(api_requests(control, account["id"], mark))

        # A burst of DP hooks into one fresh account: 200 leads entering the trigger stage at once.
        manual_account, account = account, _install(ready, control, "bench-dp")
        specs = [
            {
                "name": f"Заказ №{i:03d}",
                "price": 1000 + i,
                **trigger,
                "responsible_user_id": USERS["Дмитрий Артемьевич"],
                "custom_fields_values": [{"field_id": FIELD["Спецификация"], "values": [{"value": f"Позиция {i}"}]}],
                "_embedded": {
                    "contacts": [{"id": CONTACTS["Виктор Соколов"], "is_main": True}],
                    "catalog_elements": [
                        {"id": 1_300_001, "metadata": {"quantity": 1, "catalog_id": CATALOGS["Товары"]}}
                    ],
                },
            }
            for i in range(1, hooks + 1)
        ]
        sources = control.seed(account["id"], {"leads": specs})["leads"]
        signed = call_widget(
            ready,
            "POST",
            "/widget/dp/sign",
            account,
            json={"rule": {**target, "responsible": {"mode": "source"}}},
            timeout=30,
        ).json()
        store = wiring.job_records()
        instances = _instances(emulator_url, moto_url, config, 1, poll=True)
        try:
            instances += _instances(emulator_url, moto_url, config, FRONT_INSTANCES - 1, poll=False)
            gateways = [gateway, *(front.gateway_url for front in instances[1:])]
            _warm_worker(ready, control, gateways, manual_account)  # warm code; this account stays new to it
            time.sleep(1.2)
            mark = request_log_mark(control, account["id"])
            at = int(time.time())

            forms = [dp_hook_form(account, lead, trigger, signed, at) for lead in sources]
            # amoCRM's side sends from a process of its own, like the real service.
            sender = subprocess.Popen(  # noqa: S603 - our own module
                [sys.executable, "-m", "tools.bench", "send-hooks", *(f"{url}/dp/hook" for url in gateways)],
                cwd=ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            out, _ = sender.communicate(json.dumps(forms))
            sent = json.loads(out)
            latencies = sent["latencies"]
            started_wall = sent["first_sent_at"]  # the burst starts with the first hook, not the sender's start-up
            # The queue's counters first, the jobs table only to confirm: moto serialises DynamoDB calls, and a
            # query of 200 job items keeps it busy for a fifth of a second, slowing the worker it measures.
            # The drain ends at the last job's final checkpoint, not at the poll that saw it.
            wait_drained(
                stack.client("sqs"), info["physical"]["CopyJobsQueue"], store, {account["id"]: hooks}, give_up=600
            )
        finally:
            _stop(instances)
        records = store.list_jobs(account["id"], "dp-")
        elapsed = max(r.updated_at for r in records) - started_wall
        api = api_requests(control, account["id"], mark)
        stats = control.stats(account["id"])
        done = sum(1 for r in records if r.state.value == "done")
    requests = len(api)
    minimum = max(requests - 7, 1) / 7  # the first 7 may go at once, then 7 per second
    burst = {
        "hooks": hooks,
        "batch_size": batch_size if batch_size is not None else 200,
        "intake": max(sent["answered_at"]) - started_wall,
        "copies": done,
        "requests": requests,
        "requests_per_copy": requests / max(done, 1),
        "status_429": sum(1 for e in api if e["status"] == 429),
        "peak_per_second": stats["max_per_second"],
        "elapsed": elapsed,
        "minimum": minimum,
        "floor": max(requests - 1, 0) * (1.0 + 0.1) / 7,  # evenly spaced slots (docs/limits.md), nothing else
        "ratio_to_minimum": elapsed / minimum,
        "hook_p50_ms": _percentile(latencies, 0.50) * 1000,
        "hook_p99_ms": _percentile(latencies, 0.99) * 1000,
        "by_path": dict(sorted(collections_counter(e["template"] for e in api).items())),
        "per_second": _per_second([e["ts"] - started_wall for e in api]),
    }
    return burst, manual


def _per_second(offsets: list[float]) -> list[int]:
    """amoCRM requests in each second of the drain, from the first hook on."""
    counts = collections_counter(int(max(0.0, t)) for t in offsets)
    return [counts.get(second, 0) for second in range(max(counts, default=-1) + 1)]


def collections_counter(items) -> dict[str, int]:
    from collections import Counter

    return dict(Counter(items))


def render(
    cold: list[ColdStart],
    burst: dict[str, float],
    dp: dict[str, float] | None = None,
    manual: dict[str, float] | None = None,
    pii: dict[str, float] | None = None,
) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` on {time.strftime('%Y-%m-%d')} (Python {sys.version.split()[0]}, "
        f"{os.cpu_count()} cores). Ratios are what to compare between runs; seconds are for orientation.",
        "",
        *cold_start_section(cold),
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
    ]
    if dp is not None:
        paths = ", ".join(f"{path} ×{n}" for path, n in dp["by_path"].items())
        lines += [
            "## Digital Pipeline burst",
            "",
            f"{dp['hooks']:.0f} DP hooks for one account, sent by 8 clients at once from a process of their own "
            f"(amoCRM's side), spread over {FRONT_INSTANCES} DP-hook instances (this process's gateway and stack "
            "processes of their own, each with the real handlers); moto (SQS FIFO, DynamoDB) and the "
            "amoCRM emulator (7 requests/s) run in processes of their own too, as AWS and amoCRM are remote, and so "
            "does the worker, as each Lambda function has instances of its own (in one interpreter the hook intake "
            "took the worker's time). The worker instance is warm (it has served another account, as a busy Lambda "
            "instance has; cold starts are measured above), and the measured account is new to it (metadata and "
            "token cold). The clock runs from the first hook sent to the last job's final checkpoint; the bench "
            "watches the queue's counters and reads the jobs table only to confirm, as moto serialises DynamoDB "
            f"calls. Drained in {dp['elapsed']:.1f} s: {dp['copies']:.0f} copies with {dp['requests']:.0f} amoCRM "
            f"requests ({paths}). The shared budget (docs/limits.md) spaces send slots (1 s + 0.1 s margin) / 7 "
            f"apart and sends no first 7 at once, so with no other delay these requests would take "
            f"{dp['floor']:.1f} s, {dp['floor'] / dp['minimum']:.2f}x the minimum; each run of an account's jobs "
            "(its backlog, up to `JOB_BATCH_SIZE`: docs/scaling.md) sends 4 requests per 50 jobs a slot apart, and "
            "the worker's DynamoDB and SQS work between two runs adds to that (see NOTES.md). Batched, the drain "
            "is bound by the intake, not by amoCRM's limit, and stays above 1.25x its requests' minimum. With and "
            "without batching side by side: the section written by `python -m tools.bench dp`.",
            "",
            f"amoCRM requests in each second from the first hook: {dp['per_second']}.",
            "",
            "| figure | value | limit | ratio to the limit |",
            "|---|---:|---:|---:|",
            f"| amoCRM requests per copy | {dp['requests_per_copy']:.3f} | 0.5 | {dp['requests_per_copy'] / 0.5:.2f} |",
            f"| answers 429 | {dp['status_429']:.0f} | 0 | – |",
            f"| peak requests in any 1 s window | {dp['peak_per_second']:.0f} | 7 | {dp['peak_per_second'] / 7:.2f} |",
            f"| drain time / minimum its {dp['requests']:.0f} requests allow at 7/s ({dp['minimum']:.1f} s) | "
            f"{dp['ratio_to_minimum']:.2f}x | 1.25x | {dp['ratio_to_minimum'] / 1.25:.2f} |",
            f"| webhook answer p50 | {dp['hook_p50_ms']:.0f} ms | 2000 ms (amoCRM's answer window) | "
            f"{dp['hook_p50_ms'] / 2000:.3f} |",
            f"| webhook answer p99 | {dp['hook_p99_ms']:.0f} ms | 2000 ms | {dp['hook_p99_ms'] / 2000:.3f} |",
            "",
        ]
    if manual is not None:
        lines += [
            "## amoCRM requests per manual copy",
            "",
            "One copy of the manual's deal with its products (`POST /copies` through the gateway).",
            "",
            "| metadata | requests | limit | ratio |",
            "|---|---:|---:|---:|",
            f"| cold (first copy of a process) | {manual['cold']:.0f} | 8 | {manual['cold'] / 8:.2f} |",
            f"| warm | {manual['warm']:.0f} | 4 | {manual['warm'] / 4:.2f} |",
            "",
        ]
    if pii is not None:
        from tools import bench_pii

        lines += bench_pii.section(pii)
    return "\n".join(lines)


def send_hooks(urls: list[str]) -> int:
    """`python -m tools.bench send-hooks URL...`: POST the form bodies read from stdin, 8 at a time, hook i to
    URL i mod n (one per front instance); prints each answer's time in seconds (the stand-in for amoCRM's sender)."""
    import httpx

    forms = json.loads(sys.stdin.read())
    with httpx.Client(timeout=30) as client:
        answered: list[float] = []

        def send(numbered: tuple[int, dict]) -> float:
            i, form = numbered
            started = time.perf_counter()
            client.post(urls[i % len(urls)], data=form).raise_for_status()
            answered.append(time.time())
            return time.perf_counter() - started

        for url in urls:  # connect before the clock starts
            client.get(url.rsplit("/", 2)[0] + "/_devstack/health")
        first = time.time()
        with ThreadPoolExecutor(8) as pool:
            latencies = list(pool.map(send, enumerate(forms)))
    print(json.dumps({"first_sent_at": first, "latencies": latencies, "answered_at": answered}))
    return 0


def main() -> int:
    if sys.argv[1:2] == ["send-hooks"]:
        return send_hooks(sys.argv[2:])
    if sys.argv[1:3] == ["imports", "--against"] and len(sys.argv) in (4, 5) and sys.argv[4:] in ([], ["--as-lambda"]):
        return bench_import_ab.main(sys.argv[3], as_lambda=sys.argv[4:] == ["--as-lambda"])
    if sys.argv[1:2] == ["imports"]:
        return imports_only()
    if sys.argv[1:2] == ["pii"]:
        from tools import bench_pii

        return bench_pii.only()
    if sys.argv[1:2] == ["dp"]:
        from tools.bench_batching import main as batching

        return batching(sys.argv[2:])
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
    os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
    cold = cold_starts()
    burst = request_burst()
    dp, manual = dp_burst_and_manual_copies()
    from tools import bench_pii

    pii = bench_pii.measure()
    report = render(cold, burst, dp, manual, pii)
    (ROOT / "BENCHMARKS.md").write_text(report, encoding="utf-8")
    print(report)
    print(json.dumps({"burst": burst, "dp": dp, "manual": manual, "pii": pii}, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
