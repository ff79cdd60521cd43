"""What the scale runs send: seeded deals, signed DP rules, hook bursts and the widget's steady calls.

The callers are amoCRM's side (hooks, from a process of its own via `python -m tools.bench send-hooks`)
and the widget's users (manual copies, settings lookups), plus the catch-up's scheduled ticks, all
reaching the instances through their gateways, as on AWS.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import httpx

from amo_emulator.control import EmulatorControl
from amo_emulator.seed_demo import CATALOGS, CONTACTS, USERS, pipeline_id, status_id
from devstack.client import StackInfo, call_widget, dp_hook_form
from devstack.http import HTTP
from tools.bench import ROOT

TRIGGER = {"pipeline_id": pipeline_id("Воронка"), "status_id": status_id("Воронка", "Оплачен счёт")}
TARGET = {"pipeline_id": pipeline_id("Выполнение"), "status_id": status_id("Выполнение", "В работе")}
MANUAL_SOURCE = 24_002_811  # the demo account's deal with products (the manual's example)


def seed_leads(control: EmulatorControl, account: dict[str, Any], count: int) -> list[int]:
    """`count` deals standing in the trigger stage, each with a main contact (a link to copy)."""
    specs = [
        {
            "name": f"Заказ №{i:03d}",
            "price": 1000 + i,
            **TRIGGER,
            "responsible_user_id": USERS["Дмитрий Артемьевич"],
            "_embedded": {"contacts": [{"id": CONTACTS["Виктор Соколов"], "is_main": True}]},
        }
        for i in range(1, count + 1)
    ]
    return control.seed(account["id"], {"leads": specs})["leads"]


def sign_rule(stack: StackInfo, account: dict[str, Any]) -> dict[str, str]:
    """The DP action's settings as the widget's DP dialog saves them (signed by the backend)."""
    answer = call_widget(
        stack, "POST", "/widget/dp/sign", account, json={"rule": {**TARGET, "responsible": {"mode": "source"}}}
    )
    answer.raise_for_status()
    return answer.json()


def hook_forms(account: dict[str, Any], leads: list[int], signed: dict[str, str]) -> list[dict[str, str]]:
    at = int(time.time())
    return [dp_hook_form(account, lead, TRIGGER, signed, at) for lead in leads]


def interleave(groups: list[list[dict[str, str]]], run: int = 10) -> list[dict[str, str]]:
    """Every account's burst at once: round-robin over the accounts, `run` hooks of one account at a time.

    Runs of the worker's batch size, because SQS hands a FIFO receiver as many messages of one group
    as it can, while moto returns them in queue order: hook by hook round-robin would give every
    batch ten accounts, a mix AWS would not deliver.
    """
    chunks = [[g[i : i + run] for i in range(0, len(g), run)] for g in groups]
    longest = max((len(c) for c in chunks), default=0)
    return [hook for i in range(longest) for c in chunks if i < len(c) for hook in c[i]]


def send_hooks(hook_url: str, forms: list[dict[str, str]]) -> dict[str, Any]:
    """POST the hooks from a process of their own (8 at a time); returns its `first_sent_at` and latencies."""
    sender = subprocess.Popen(  # noqa: S603 - our own module
        [sys.executable, "-m", "tools.bench", "send-hooks", hook_url],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    out, _ = sender.communicate(json.dumps(forms), timeout=600)
    if sender.returncode:
        raise RuntimeError("the hook sender failed")
    return json.loads(out)


class Loop(threading.Thread):
    """Calls `action` (which returns an HTTP status) until `stop` is set, `pause` seconds apart."""

    def __init__(self, name: str, action: Callable[[], int], stop: threading.Event, pause: float) -> None:
        super().__init__(name=name, daemon=True)
        self._action, self._stop, self._pause = action, stop, pause
        self.statuses: Counter[int] = Counter()

    def run(self) -> None:
        while not self._stop.is_set():
            try:
                self.statuses[self._action()] += 1
            except httpx.HTTPError:
                self.statuses[0] += 1  # no answer (timeout): counted, never raised out of the thread
            self._stop.wait(self._pause)


def manual_copy(stack: StackInfo, account: dict[str, Any]) -> Callable[[], int]:
    """A manager pressing СКОПИРОВАТЬ on the manual's deal (products carried over), a new key each time."""
    rule = {**TARGET, "fields": [], "catalogs": [CATALOGS["Товары"]]}

    def copy() -> int:
        body = {"lead_id": MANUAL_SOURCE, "rule": rule, "idempotency_key": f"scale-{time.time_ns()}"}
        return call_widget(stack, "POST", "/copies", account, json=body).status_code

    return copy


def settings_lookup(stack: StackInfo, account: dict[str, Any]) -> Callable[[], int]:
    """The widget drawing its forms (account metadata, presets, licence)."""
    return lambda: call_widget(stack, "GET", "/widget/settings", account).status_code


def catch_up_tick(gateway_url: str) -> Callable[[], int]:
    """One tick of the catch-up's schedule (the local stack's stand-in for EventBridge)."""
    return lambda: HTTP.post(f"{gateway_url}/_devstack/schedule/CatchUpFunction", timeout=120).status_code


def warm_up(fleet: Any, front: Any, *, accounts: int, copies: Any = None, catchup: Any = None) -> None:
    """Run every function the measurement uses once, on accounts of their own, so that the instances
    are warm (code imported, AWS clients made), as busy Lambda instances are. The measured accounts
    stay cold: no instance has their metadata or tokens yet."""
    expected = {}
    for n in range(accounts):
        account = fleet.install(f"warm-{n:02d}", via=front)
        forms = hook_forms(account, seed_leads(fleet.control, account, 2), sign_rule(front.stack, account))
        for form in forms:
            HTTP.post(f"{front.gateway_url}/dp/hook", data=form, timeout=30).raise_for_status()
        settings_lookup(front.stack, account)()
        if copies is not None:
            manual_copy(copies.stack, account)()
        if catchup is not None:
            catch_up_tick(catchup.gateway_url)()
        expected[account["id"]] = len(forms)
    fleet.wait_drained(expected)
