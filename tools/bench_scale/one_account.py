"""Multi-instance run: four Lambda instances of different functions busy with ONE account at once.

- `copies`: manual copies through its gateway (`POST /copies`), one a second;
- `settings`: the widget's settings lookups (`GET /widget/settings`), one a second, and the burst of
  DP hooks (`POST /dp/hook`, another function of the API);
- `worker`: drains the DP burst from the queue (the only instance polling it);
- `catchup`: a catch-up tick every 2 s.
Only DynamoDB (the shared budget) stands between them and amoCRM's 7 requests/s. Every instance
first serves a warm-up account (warm code and AWS clients, as busy Lambda instances have); the
measured account is new to all of them. The drain is
judged against every request the account made meanwhile: the others spend the same budget.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from typing import Any

from devstack.client import api_requests, request_log_mark
from tools.bench_scale.fleet import Fleet
from tools.bench_scale.load import (
    Loop,
    catch_up_tick,
    hook_forms,
    manual_copy,
    seed_leads,
    send_hooks,
    settings_lookup,
    sign_rule,
    warm_up,
)
from tools.bench_scale.measure import minimum_seconds, per_second, phase, window_figures

ROLES = [False, False, True, False]  # copies, settings, worker (polls the queue), catchup


RUNS = 3


def median_run(hooks: int = 200, runs: int = RUNS) -> dict[str, Any]:
    """`run` `runs` times: the figures of the run with the median drain ratio, each run's ratio beside them,
    and the worst peak and the sum of 429s over all runs (the limit must hold in every run, not on median).

    On this 2-core machine the seven processes of a run starve each other now and then: a starved instance
    wakes too late for its booked slots, gives them up, and the account sends nothing for a second or more.
    One run in three or so drains at ~1.8x for that reason, the others at ~1.25x (see NOTES.md)."""
    results = [run(hooks) for _ in range(runs)]
    chosen = sorted(results, key=lambda r: r["ratio_to_minimum"])[runs // 2]
    return {
        **chosen,
        "runs": [round(r["ratio_to_minimum"], 2) for r in results],
        "peak_per_second": max(r["peak_per_second"] for r in results),
        "lifetime_peak_per_second": max(r["lifetime_peak_per_second"] for r in results),
        "status_429": sum(r["status_429"] for r in results),
    }


def run(hooks: int = 200) -> dict[str, Any]:
    with phase("the multi-instance run"), Fleet(ROLES) as fleet:
        copies, settings, _worker, catchup = fleet.instances  # the worker instance only polls the queue
        with phase("warm up"):
            warm_up(fleet, settings, accounts=1, copies=copies, catchup=catchup)
        account = fleet.install("scale-one", via=settings)
        forms = hook_forms(account, seed_leads(fleet.control, account, hooks), sign_rule(settings.stack, account))
        time.sleep(1.2)  # a fresh rate window: the setup's calls stay out of the figures
        mark = request_log_mark(fleet.control, account["id"])
        stop = threading.Event()
        loops = [
            Loop("copies", manual_copy(copies.stack, account), stop, pause=1.0),
            Loop("settings", settings_lookup(settings.stack, account), stop, pause=1.0),
            Loop("catchup", catch_up_tick(catchup.gateway_url), stop, pause=2.0),
        ]
        for loop in loops:
            loop.start()
        try:
            # The hooks reach the DP hook function on the settings instance: on AWS its instances are
            # not the worker's, so taking the burst does not slow the worker.
            with phase(f"{hooks} hooks sent and drained"):
                sent = send_hooks(f"{settings.gateway_url}/dp/hook", forms)
                ended, states = fleet.wait_drained({account["id"]: hooks})
        finally:
            stop.set()
            for loop in loops:
                loop.join(timeout=130)
        api = api_requests(fleet.control, account["id"], mark)
        lifetime = fleet.control.stats(account["id"])
    roles = {loop.name: loop.statuses for loop in loops}
    return figures(api, lifetime, sent["first_sent_at"], ended, states[account["id"]], roles)


def figures(
    api: list[dict[str, Any]],
    lifetime: dict[str, Any],
    started: float,
    ended: float,
    states: Counter,
    roles: dict[str, Counter],
) -> dict[str, Any]:
    during = [e for e in api if started <= e["ts"] <= ended]
    elapsed = ended - started
    minimum = minimum_seconds(len(during))
    return {
        "hooks": sum(states.values()),
        "job_states": dict(states),
        "elapsed": elapsed,
        "requests_in_drain": len(during),
        "minimum": minimum,
        "ratio_to_minimum": elapsed / minimum,
        **window_figures(api),
        "lifetime_peak_per_second": lifetime["max_per_second"],
        "lifetime_status_429": lifetime["status_429"],
        "per_second": per_second(api, started),
        "by_path": dict(sorted(Counter(e["template"] for e in during).items())),
        "roles": {name: dict(statuses) for name, statuses in roles.items()},
    }
