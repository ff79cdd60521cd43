"""`make demo`, step 6: «Повторные сделки» - a delayed renewal copy and a monthly repeat firing three times.

Schedules are kept in moto's EventBridge Scheduler; the demo fires them with the local firer
(`EventScheduler.run_due`, what `POST /_devstack/scheduler/run-due` does) and moves the
emulator's clock with it, so months pass in seconds. Hooks come first (at the real time).
"""

from __future__ import annotations

import calendar
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from devstack.client import StackInfo, call_widget

Out = Callable[[str], None]
MSK = ZoneInfo("Europe/Moscow")
RENEWAL_LEAD = 24_002_812
STEP = timedelta(days=40)  # between two amoCRM calls: refresh tokens live 90 days (emulator clock)


def scheduled_copies(stack: Any, info: StackInfo, control: Any, account: dict[str, Any], out: Out) -> bool:
    return delayed_renewal(stack, info, control, account, out) and monthly_repeat(stack, info, control, account, out)


def _stage(pipeline: str, name: str) -> dict[str, int]:
    from amo_emulator.seed_demo import pipeline_id, status_id

    return {"pipeline_id": pipeline_id(pipeline), "status_id": status_id(pipeline, name)}


def _now(control: Any) -> datetime:
    return datetime.fromtimestamp(float(control._call("GET", "/clock")["now"]), UTC)


def _drain(stack: Any) -> None:
    stack.idle.wait(60)  # the worker has handled what the schedules fired


def _run_due(stack: Any, control: Any, account_id: int, moment: datetime) -> None:
    """Fire what is due up to `moment` in steps, with an amoCRM call between them (a token refresh)."""
    from dealcopy import wiring

    client = wiring.client_for(wiring.accounts().get(account_id))
    while moment - _now(control) > STEP:
        stack.event_scheduler.run_due(_now(control) + STEP, move_clock=True)
        _drain(stack)
        client.get("/api/v4/account")
    stack.event_scheduler.run_due(moment, move_clock=True)
    _drain(stack)


def _copies_in(control: Any, account_id: int, where: dict[str, int], prefix: str) -> list[dict[str, Any]]:
    leads = control.state(account_id)["leads"]
    return [
        lead
        for lead in leads
        if (lead["pipeline_id"], lead["status_id"]) == tuple(where.values()) and lead["name"].startswith(prefix)
    ]


def delayed_renewal(stack: Any, info: StackInfo, control: Any, account: dict[str, Any], out: Out) -> bool:
    from amo_emulator.seed_demo import FIELD
    from dealcopy import wiring

    trigger, target = _stage("Яндекс", "Активация услуги"), _stage("Повторные продажи", "Новый запрос")
    ship_field = FIELD["Дата отгрузки"]
    delay = {"field": {"field_id": ship_field, "offset_days": -30, "at": "10:00"}, "cancel_if_closed": True}
    rule = {**target, "name_template": "Продление: {name}", "delay": delay}
    signed = call_widget(info, "POST", "/widget/dp/sign", account, json={"rule": rule}, timeout=30).json()
    control.add_dp_trigger(account["id"], **trigger, url=f"{info.gateway_url}/dp/hook", settings=signed)
    ends = (_now(control) + timedelta(days=45)).date()
    noon = int(datetime(ends.year, ends.month, ends.day, 12, tzinfo=UTC).timestamp())
    client = wiring.client_for(wiring.accounts().get(account["id"]))
    values = [{"field_id": ship_field, "values": [{"value": noon}]}]
    client.patch(f"/api/v4/leads/{RENEWAL_LEAD}", {"custom_fields_values": values})
    control.move_lead(account["id"], RENEWAL_LEAD, *trigger.values())
    out(
        f"6. «Повторные сделки»: a DP rule «copy 30 days before «Дата отгрузки» at 10:00»; deal #{RENEWAL_LEAD} "
        f"(ships {ends:%d.%m.%Y}) enters «Яндекс / Активация услуги»"
    )
    pending = []
    give_up = time.monotonic() + 30
    while not pending and time.monotonic() < give_up:
        pending = wiring.delayed_copies().pending(account["id"], RENEWAL_LEAD)
        time.sleep(0.2)
    if not pending:
        out("   the delayed copy was not planned")
        return False
    due = pending[0].due_at
    out(f"   planned as an EventBridge schedule for {due.astimezone(MSK):%d.%m.%Y %H:%M} MSK; no copy yet")
    _run_due(stack, control, account["id"], due - timedelta(minutes=1))
    early = len(_copies_in(control, account["id"], target, "Продление"))
    _run_due(stack, control, account["id"], due)
    made = _copies_in(control, account["id"], target, "Продление")
    out(f"   the clock reaches {due.astimezone(MSK):%H:%M} minus a minute: {early} copies; at the minute: {len(made)}")
    for lead in made:
        out(f"   -> #{lead['id']} «{lead['name']}» in «Повторные продажи / Новый запрос»")
    return early == 0 and len(made) == 1


def monthly_repeat(stack: Any, info: StackInfo, control: Any, account: dict[str, Any], out: Out) -> bool:
    now = _now(control)
    year = now.year + (0 if now.date() < date(now.year, 1, 31) else 1)
    while calendar.isleap(year):
        year += 1
    target = _stage("Повторные продажи", "Подписка начата")
    body = {
        "lead_id": RENEWAL_LEAD,
        "rule": {**target, "name_template": "Подписка, месяц {n} ({date})"},
        "every": {"unit": "month", "n": 1},
        "at": "10:00",
        "start": f"{year}-01-31",
        "count": 3,
        "timezone": "Europe/Moscow",
        "idempotency_key": "demo-monthly",
    }
    answer = call_widget(info, "POST", "/repeats", account, json=body, timeout=30)
    if answer.status_code != 201:
        out(f"   POST /repeats: HTTP {answer.status_code} {answer.text}")
        return False
    repeat = answer.json()
    out(f"7. «Повторять» every month from 31.01.{year} at 10:00 MSK, 3 times: first at {repeat['next_at']}")
    for day in (date(year, 2, 28), date(year, 3, 31), date(year, 4, 30), date(year, 5, 31)):
        _run_due(stack, control, account["id"], datetime(day.year, day.month, day.day, 10, tzinfo=MSK).astimezone(UTC))
    made = sorted(_copies_in(control, account["id"], target, "Подписка"), key=lambda lead: lead["id"])
    for lead in made:
        out(f"   -> #{lead['id']} «{lead['name']}»")
    state = call_widget(info, "GET", f"/repeats?lead_id={RENEWAL_LEAD}", account).json()["repeats"][0]["state"]
    out(f"   after the third the repeat is {state}; 31.05 made nothing")
    return len(made) == 3 and state == "finished"
