"""Digital Pipeline triggers: the widget action amoCRM runs when a lead enters a stage.

What amoCRM documents (facts file, DP section): when a lead enters a stage that has a widget
action, amoCRM POSTs to the widget's `webhook_url` a hook with `event[type]=14`,
`event[type_code]=lead_status_changed` (15 `lead_appeared_in_status` inside multi-stage actions,
1 `lead_added` plausibly for a lead created there: a trigger's `event_type` picks one),
`event[data][id|element_type|status_id|pipeline_id|direction_of_movement]`, `event[time]`, the
action's DP settings under `action[settings][widget][settings][...]`, `subdomain` and `account_id`.

Emulated: the hook fires for a lead created in the stage and for a lead moved into it (the
same two events the emulator records as `lead_added` / `lead_status_changed`, with the same
time, so the events API and the hook agree). It is sent once, never retried (one edition of
the docs says so); `drop_next`/`drop_rate` lose hooks on purpose, as the network would.
Form-encoded by default (what public receivers observed, U); `encoding: "json"` sends the
documented JSON view. Hooks go out from one background thread, in order, after the API
call that caused them has answered.
"""

from __future__ import annotations

import json
import queue
import random
import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx

EVENT_CODES = {1: "lead_added", 14: "lead_status_changed", 15: "lead_appeared_in_status"}
DEFAULT_EVENT = 14  # the docs: a lead entering the stage that activates the action


@dataclass
class DpTrigger:
    id: int
    pipeline_id: int
    status_id: int
    url: str
    settings: dict[str, str]
    encoding: str = "form"
    drop_next: int = 0
    drop_rate: float = 0.0
    seed: int | None = None
    event_type: int = DEFAULT_EVENT
    rng: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.encoding not in ("form", "json"):
            raise ValueError("encoding must be form or json")
        if self.event_type not in EVENT_CODES:
            raise ValueError(f"event_type must be one of {sorted(EVENT_CODES)}")
        self.rng = random.Random(self.seed)

    def describe(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "pipeline_id": self.pipeline_id,
            "status_id": self.status_id,
            "url": self.url,
            "settings": self.settings,
            "encoding": self.encoding,
            "drop_next": self.drop_next,
            "drop_rate": self.drop_rate,
            "event_type": self.event_type,
        }


def hook_payload(
    *,
    account_id: int,
    subdomain: str,
    lead_id: int,
    pipeline_id: int,
    status_id: int,
    settings: dict[str, str],
    at: int,
    event_type: int = DEFAULT_EVENT,
) -> dict[str, Any]:
    """The documented JSON view of a DP hook: `lead_id` entered (`pipeline_id`, `status_id`) at `at`."""
    return {
        "event": {
            "type": event_type,
            "type_code": EVENT_CODES[event_type],
            "data": {
                "id": lead_id,
                "element_type": 2,
                "status_id": status_id,
                "pipeline_id": pipeline_id,
                "direction_of_movement": "went_to_trigger",
            },
            "time": at,
        },
        "action": {"settings": {"widget": {"settings": dict(settings)}}},
        "subdomain": subdomain,
        "account_id": account_id,
    }


def _flatten(prefix: str, value: Any, out: dict[str, str]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(f"{prefix}[{key}]" if prefix else str(key), item, out)
    else:
        out[prefix] = str(value)


def form_fields(payload: dict[str, Any]) -> dict[str, str]:
    """The form-encoded view: PHP bracket keys, string values (`event[data][id]`: "123", ...)."""
    fields: dict[str, str] = {}
    _flatten("", payload, fields)
    return fields


def form_body(payload: dict[str, Any]) -> str:
    """`form_fields` as a request body: `event[data][id]=123&...`."""
    return urlencode(form_fields(payload))


class Dispatcher:
    """Sends hooks from one daemon thread, in order; records each outcome."""

    def __init__(self) -> None:
        self._queue: queue.Queue[tuple[dict[str, Any], str, str, str]] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._idle = threading.Event()
        self._idle.set()

    def submit(self, entry: dict[str, Any], url: str, body: str, content_type: str) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="dp-hooks", daemon=True)
                self._thread.start()
        self._idle.clear()
        self._queue.put((entry, url, body, content_type))

    def wait_idle(self, timeout: float = 10.0) -> bool:
        return self._idle.wait(timeout)

    def _run(self) -> None:
        with httpx.Client(timeout=5.0) as client:
            while True:
                entry, url, body, content_type = self._queue.get()
                try:
                    answer = client.post(url, content=body.encode(), headers={"Content-Type": content_type})
                    entry["status_code"] = answer.status_code
                except httpx.HTTPError as err:
                    entry["error"] = type(err).__name__
                entry["done"] = True
                if self._queue.empty():
                    self._idle.set()


dispatcher = Dispatcher()


@dataclass
class DpBook:
    """An account's DP triggers and the hooks they sent (or lost)."""

    triggers: list[DpTrigger] = field(default_factory=list)
    hooks: list[dict[str, Any]] = field(default_factory=list)
    _next_id: int = 1

    def add(self, spec: dict[str, Any]) -> DpTrigger:
        trigger = DpTrigger(
            id=self._next_id,
            pipeline_id=int(spec["pipeline_id"]),
            status_id=int(spec["status_id"]),
            url=str(spec["url"]),
            settings={str(k): str(v) for k, v in (spec.get("settings") or {}).items()},
            encoding=str(spec.get("encoding", "form")),
            drop_next=int(spec.get("drop_next", 0)),
            drop_rate=float(spec.get("drop_rate", 0.0)),
            seed=spec.get("seed"),
            event_type=int(spec.get("event_type", DEFAULT_EVENT)),
        )
        self._next_id += 1
        # amoCRM keeps one widget action per stage (manifest `action_multiple: false`): a new one replaces it.
        self.triggers = [
            t for t in self.triggers if (t.pipeline_id, t.status_id) != (trigger.pipeline_id, trigger.status_id)
        ]
        self.triggers.append(trigger)
        return trigger

    def update(self, trigger_id: int, changes: dict[str, Any]) -> DpTrigger:
        trigger = next(t for t in self.triggers if t.id == trigger_id)
        for key in ("drop_next", "drop_rate", "url", "encoding", "event_type"):
            if key in changes:
                setattr(trigger, key, type(getattr(trigger, key))(changes[key]))
        if "settings" in changes:
            trigger.settings = {str(k): str(v) for k, v in changes["settings"].items()}
        return trigger

    def clear(self) -> None:
        self.triggers.clear()

    def lead_entered(
        self, account_id: int, subdomain: str, lead_id: int, pipeline_id: int, status_id: int, at: int
    ) -> None:
        for trigger in self.triggers:
            if (trigger.pipeline_id, trigger.status_id) != (pipeline_id, status_id):
                continue
            payload = hook_payload(
                account_id=account_id,
                subdomain=subdomain,
                lead_id=lead_id,
                pipeline_id=trigger.pipeline_id,
                status_id=trigger.status_id,
                settings=trigger.settings,
                at=at,
                event_type=trigger.event_type,
            )
            entry: dict[str, Any] = {"trigger_id": trigger.id, "lead_id": lead_id, "time": at, "dropped": False}
            self.hooks.append(entry)
            if trigger.drop_next > 0:
                trigger.drop_next -= 1
                entry["dropped"] = True
                continue
            if trigger.drop_rate and trigger.rng.random() < trigger.drop_rate:
                entry["dropped"] = True
                continue
            if trigger.encoding == "json":
                dispatcher.submit(entry, trigger.url, json.dumps(payload), "application/json")
            else:
                dispatcher.submit(entry, trigger.url, form_body(payload), "application/x-www-form-urlencoded")
