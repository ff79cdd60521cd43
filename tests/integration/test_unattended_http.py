"""Months of unattended automation on the local stack, with time moved only by `run-due`.

`POST /_devstack/scheduler/run-due {now}` moves the emulator's clock, runs the template's periodic
functions due by then (the token keep-alive, the DP catch-up) and fires the EventBridge schedules
due by then, so a year of steps is a year of the product's life: tokens age and expire in amoCRM
(the emulator refuses a refresh token older than 90 days), repeats fall due, nobody opens the
widget. The stack is this module's own: its clock only moves forward, and every test starts
from where the one before left it.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from boto3.dynamodb.conditions import Key

from amo_emulator.seed_demo import pipeline_id, status_id
from dealcopy.install import uninstall_signature
from devstack import client as stack_client
from devstack.client import dp_hook_form, post_dp_hook
from devstack.http import HTTP
from tests.dp.helpers import leads_in, queue_depth, sign, wait_for
from tests.integration.clock_helpers import clocked_stack, drain, emulator_now, next_fire
from tests.integration.conftest import unique
from tests.integration.widget_helpers import call, install, one_time_token

SOURCE = 24_002_811  # the manual's deal
SHIP_DATE = 1_100_035  # «Дата отгрузки», a date field
TARGET = {"pipeline_id": pipeline_id("Повторные продажи"), "status_id": status_id("Повторные продажи", "Новый запрос")}
TRIGGER = {"pipeline_id": pipeline_id("Воронка"), "status_id": status_id("Воронка", "Оплачен счёт")}
STEP = timedelta(days=15)
YEKT = ZoneInfo("Asia/Yekaterinburg")


@pytest.fixture(scope="module")
def stack():
    with clocked_stack() as stack:
        yield stack


# --- helpers ---------------------------------------------------------------------------------------


def run_due(stack, moment: datetime) -> dict[str, Any]:
    answer = HTTP.post(
        f"{stack.gateway_url}/_devstack/scheduler/run-due", json={"now": moment.isoformat()}, timeout=120
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    if body["fired"]:
        drain(stack)
    return body


def advance(stack, moment: datetime, step: timedelta = STEP) -> list[dict[str, Any]]:
    """run-due up to `moment` in steps of at most `step`; the answers of every step."""
    answers, current = [], emulator_now(stack)
    while moment - current > step:
        current += step
        answers.append(run_due(stack, current))
    answers.append(run_due(stack, moment))
    return answers


def keep_alive_reports(answers: list[dict[str, Any]]) -> list[dict[str, int]]:
    return [job["result"] for a in answers for job in a["periodic"] if job["function"] == "KeepAliveFunction"]


def stored(stack, account) -> dict[str, Any]:
    return stack.table("AccountsTable").get_item(Key={"account_id": account["id"]}, ConsistentRead=True)["Item"]


def copies(stack, account, prefix: str = "") -> list[dict[str, Any]]:
    return [lead for lead in leads_in(stack, account, TARGET) if lead["name"].startswith(prefix)]


def repeat(stack, account, key: str, **calendar: Any) -> dict[str, Any]:
    body = {
        "lead_id": SOURCE,
        "rule": {**TARGET, "name_template": f"{key} {{date}}"},
        "idempotency_key": unique("repeat-"),
        **calendar,
    }
    answer = call(stack, "POST", "/repeats", account, json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()


def listed(stack, account) -> dict[str, dict[str, Any]]:
    answer = call(stack, "GET", "/repeats", account)
    assert answer.status_code == 200, answer.text
    return {r["repeat_id"]: r for r in answer.json()["repeats"]}


def account_schedules(stack, account) -> list[str]:
    """Names of the EventBridge schedules in the stack's group that fire for this account."""
    import boto3

    client = boto3.client("scheduler", endpoint_url=stack.moto_url, region_name=stack.region)
    found = []
    for page in client.get_paginator("list_schedules").paginate():
        for summary in page.get("Schedules", []):
            schedule = client.get_schedule(Name=summary["Name"], GroupName=summary["GroupName"])
            if f'"account_id":{account["id"]}' in schedule["Target"]["Input"].replace(" ", ""):
                found.append(summary["Name"])
    return found


def sched_items(stack, account) -> list[dict[str, Any]]:
    return stack.table("JobsTable").query(
        KeyConditionExpression=Key("pk").eq(f"sched#{account['id']}"), ConsistentRead=True
    )["Items"]


def uninstall_hook(stack, account) -> httpx.Response:
    signature = uninstall_signature(stack.client_secret, stack.client_id, str(account["id"]))
    params = {"account_id": account["id"], "client_uuid": stack.client_id, "signature": signature}
    return HTTP.get(f"{stack.gateway_url}/oauth/uninstall", params=params, timeout=60)


def set_ship_date(stack, account, lead_id: int, day: date) -> None:
    token = stack.control.issue_tokens(account["id"], "writer")["access_token"]
    moment = int(datetime(day.year, day.month, day.day, 12, tzinfo=UTC).timestamp())
    body = {"custom_fields_values": [{"field_id": SHIP_DATE, "values": [{"value": moment}]}]}
    with stack.control.api(token) as api:
        answer = api.patch(f"/api/v4/leads/{lead_id}", json=body, headers={"Host": stored(stack, account)["domain"]})
    assert answer.status_code == 200, answer.text


def dlq_depths(stack) -> tuple[int, int]:
    return queue_depth(stack, "CopyJobsDeadLetterQueue"), queue_depth(stack, "SchedulerDeadLetterQueue")


# --- uninstall stops everything --------------------------------------------------------------------------


def test_an_uninstall_with_armed_repeats_and_a_delayed_copy_stops_them_all(stack):
    account = install(stack)
    today = emulator_now(stack).astimezone(ZoneInfo("Europe/Moscow")).date()
    daily = repeat(stack, account, "Каждый день", every={"unit": "day", "n": 1}, at="10:00", start=str(today))
    rule = {
        **TARGET,
        "name_template": "Отложено",
        "delay": {"field": {"field_id": SHIP_DATE, "offset_days": -30, "at": "10:00"}},
    }
    signed = sign(stack, account, rule)
    set_ship_date(stack, account, 24_002_812, today + timedelta(days=40))
    stack.control.move_lead(account["id"], 24_002_812, TRIGGER["pipeline_id"], TRIGGER["status_id"])
    # the hook amoCRM posts, at our time (the hook refuses event times ahead of ours; the emulator's may be)
    hook = post_dp_hook(stack, form=dp_hook_form(account, 24_002_812, TRIGGER, signed, int(time.time())))
    assert hook.status_code == 200, hook.text
    wait_for(lambda: call(stack, "GET", "/scheduled", account).json()["scheduled"], what="the delayed copy")
    drain(stack)
    assert len(account_schedules(stack, account)) == 2
    dead = dlq_depths(stack)

    stack.control.uninstall(account["id"], stack.client_id)
    gone = uninstall_hook(stack, account)
    assert gone.status_code == 200 and gone.json()["uninstalled"] is True
    assert account_schedules(stack, account) == []
    limit = int(time.time()) + 30 * 86400 + 60
    items = sched_items(stack, account)
    assert not [i for i in items if i["sk"].startswith("pending#")]
    assert items and all(int(i["expires_at"]) <= limit for i in items), items

    advance(stack, emulator_now(stack) + timedelta(days=45))
    assert copies(stack, account) == [] and dlq_depths(stack) == dead

    (again,) = stack_client.install_via_oauth(stack, stack.control, account)
    assert again.status_code == 200
    stopped = listed(stack, account)[daily["repeat_id"]]
    assert stopped["state"] == "stopped" and stopped["stop_code"] == "uninstalled"
    assert "resume" in stopped["actions"] and stopped["stop_reason"]
    advance(stack, emulator_now(stack) + timedelta(days=3))
    assert copies(stack, account) == [] and account_schedules(stack, account) == []  # never resumed by itself

    resumed = call(stack, "PATCH", f"/repeats/{daily['repeat_id']}", account, json={"paused": False})
    assert resumed.status_code == 200, resumed.text
    assert resumed.json()["state"] == "active" and resumed.json()["stop_code"] is None
    run_due(stack, next_fire(resumed.json()) + timedelta(minutes=1))
    assert len(copies(stack, account)) == 1 and len(copies(stack, account, "Каждый день")) == 1
    assert dlq_depths(stack) == dead
    assert call(stack, "DELETE", f"/repeats/{daily['repeat_id']}", account).status_code == 204  # the stack moves on


# --- a year nobody watches ------------------------------------------------------------------------------


def test_a_year_in_15_day_steps_with_nobody_using_the_widget_fires_the_yearly_repeat_once(stack):
    started = time.monotonic()
    account = install(stack)
    today = emulator_now(stack).astimezone(ZoneInfo("Europe/Moscow")).date()
    yearly = repeat(
        stack, account, "Ежегодно", every={"unit": "month", "n": 12}, at="10:00", start=str(today - timedelta(days=1))
    )
    due = next_fire(yearly)
    assert timedelta(days=360) < due - emulator_now(stack) < timedelta(days=366)
    refreshes = stack.control.stats(account["id"])["refreshes"]

    answers = advance(stack, due - timedelta(minutes=1))
    assert copies(stack, account) == []
    assert not [f for a in answers for f in a["fired"] if f["name"].startswith(yearly["repeat_id"])]
    # Nobody but the keep-alive talks to amoCRM for this account until the fire: it refreshed the pair once
    # it was 30 days old (plus the account's spread), at the next step, so every 30-45 days.
    refreshed = stack.control.stats(account["id"])["refreshes"] - refreshes
    assert 7 <= refreshed <= 13 and sum(r["refreshed"] for r in keep_alive_reports(answers)) >= refreshed

    answers = advance(stack, due + timedelta(minutes=1))
    (copy,) = copies(stack, account)
    assert copy["name"].startswith("Ежегодно ")
    item = stored(stack, account)
    assert item["status"] == "active" and "disconnected_at" not in item
    (after,) = listed(stack, account).values()
    assert after["state"] == "active" and after["fired"] == 1 and after["next_n"] == 2
    settings = call(stack, "GET", "/widget/settings", account)
    assert settings.status_code == 200, settings.text
    assert settings.json()["connection"]["state"] == "connected"
    # a guard against running every hourly occurrence (8,760 keep-alive runs): ~30 s here, ~60 s on a loaded machine
    assert time.monotonic() - started < 120


def test_a_refresh_amocrm_refuses_disconnects_the_account_with_its_reason(stack):
    account = install(stack)
    stack.control.uninstall(account["id"], stack.client_id)  # amoCRM revoked the grant; no hook reached us
    answers = advance(stack, emulator_now(stack) + timedelta(days=32))
    assert any(r["disconnected"] for r in keep_alive_reports(answers))
    item = stored(stack, account)
    assert item["status"] == "reinstall_required" and item["disconnect_reason"] and item["disconnected_at"]
    settings = call(stack, "GET", "/widget/settings", account)
    assert settings.status_code == 200, settings.text
    connection = settings.json()["connection"]
    assert connection["state"] == "disconnected" and connection["reason"] == item["disconnect_reason"]
    assert connection["since"] and connection["message"]
    assert settings.json()["pipelines"] == []
    assert call(stack, "GET", "/repeats", account).status_code == 401  # nothing else works until a reinstall
    (again,) = stack_client.install_via_oauth(stack, stack.control, account)
    assert again.status_code == 200
    assert call(stack, "GET", "/widget/settings", account).json()["connection"]["state"] == "connected"


# --- the account's time zone ---------------------------------------------------------------------------


def test_a_yekaterinburg_account_gets_its_own_times_and_dates(stack):
    account = stack.control.create_account(unique("y"), demo=True, limits={"rate": 7}, timezone="Asia/Yekaterinburg")
    (answer,) = stack_client.install_via_oauth(stack, stack.control, account)
    assert answer.status_code == 200, answer.text
    assert stored(stack, account)["timezone"] == "Asia/Yekaterinburg"
    settings = call(stack, "GET", "/widget/settings", account).json()
    assert settings["timezone"] == "Asia/Yekaterinburg"

    local_today = emulator_now(stack).astimezone(YEKT).date()
    daily = repeat(stack, account, "Ежедневно", every={"unit": "day", "n": 1}, at="10:00", start=str(local_today))
    next_at = next_fire(daily)
    assert next_at.strftime("%H:%M") == "05:00" and daily["schedule"]["timezone"] == "Asia/Yekaterinburg"
    # an explicit zone still wins
    moscow = repeat(
        stack,
        account,
        "Москва",
        every={"unit": "day", "n": 1},
        at="10:00",
        start=str(local_today),
        timezone="Europe/Moscow",
    )
    assert moscow["next_at"].endswith("T07:00:00Z")
    call(stack, "DELETE", f"/repeats/{moscow['repeat_id']}", account)
    call(stack, "DELETE", f"/repeats/{daily['repeat_id']}", account)

    # «01:00» in Yekaterinburg is still the day before in Moscow: `{date}` follows the account's zone
    night = repeat(stack, account, "Ночью", every={"unit": "day", "n": 1}, at="01:00", start=str(local_today))
    fire = next_fire(night)
    assert fire.strftime("%H:%M") == "20:00"
    run_due(stack, fire + timedelta(minutes=1))
    (copy,) = copies(stack, account, "Ночью")
    assert copy["name"] == f"Ночью {fire.astimezone(YEKT):%d.%m.%Y}"
    call(stack, "DELETE", f"/repeats/{night['repeat_id']}", account)

    # the admin moves the account to New York: the keep-alive reads it with the next refresh
    stack.control.set_timezone(account["id"], "America/New_York")
    advance(stack, emulator_now(stack) + timedelta(days=32))
    assert stored(stack, account)["timezone"] == "America/New_York"
    assert call(stack, "GET", "/widget/settings", account).json()["timezone"] == "America/New_York"


# --- renames and hosts ---------------------------------------------------------------------------------


def test_after_a_rename_run_due_fires_the_repeat_at_the_new_host(stack):
    account = install(stack)
    today = emulator_now(stack).astimezone(ZoneInfo("Europe/Moscow")).date()
    weekly = repeat(stack, account, "Еженедельно", every={"unit": "week", "n": 1}, at="09:00", start=str(today))
    renamed = stack.control.rename_account(account["id"], unique("renamed"))  # nobody opens the widget since
    fire = next_fire(weekly)
    run_due(stack, fire + timedelta(minutes=1))
    (copy,) = copies(stack, account, "Еженедельно")
    assert stored(stack, account)["domain"] == renamed["domain"]
    assert copy["notes"][-1]["params"]["text"].endswith(f"https://{renamed['domain']}/leads/detail/{SOURCE}")
    (after,) = listed(stack, renamed).values()
    assert after["state"] == "active" and after["fired"] == 1 and after["stop_code"] is None


def test_a_verified_token_naming_another_accounts_host_does_not_move_the_stored_host(stack):
    account = install(stack)
    other = install(stack)
    host = stored(stack, account)["domain"]
    # signed with our secret for this account's id, but its `iss` and `subdomain` name the other's host
    token = one_time_token(stack, {"id": account["id"], "subdomain": other["subdomain"]})
    answer = call(stack, "GET", "/widget/leads?ids=24002811", account, token=token)
    assert answer.status_code == 200, answer.text
    assert stored(stack, account)["domain"] == host
    assert stored(stack, account)["status"] == "active"
    assert call(stack, "GET", "/widget/settings", account).status_code == 200


# --- fresh metadata --------------------------------------------------------------------------------------


def test_a_field_added_a_moment_ago_is_copied_by_the_first_copy_and_previewed(stack):
    account = install(stack)
    assert call(stack, "GET", "/widget/settings", account).status_code == 200  # the metadata is cached now
    (field,) = stack.control.seed(account["id"], {"custom_fields": [{"name": "Новое поле", "type": "text"}]})[
        "custom_fields"
    ]
    token = stack.control.issue_tokens(account["id"], "writer")["access_token"]
    body = {"custom_fields_values": [{"field_id": field["id"], "values": [{"value": "свежее значение"}]}]}
    with stack.control.api(token) as api:
        host = {"Host": stored(stack, account)["domain"]}
        assert api.patch(f"/api/v4/leads/{SOURCE}", json=body, headers=host).status_code == 200

    preview = call(stack, "POST", "/copies/preview", account, json={"lead_id": SOURCE, "rule": TARGET})
    assert preview.status_code == 200, preview.text
    skipped = [s for s in preview.json()["skipped"] if s.get("ref") == field["id"]]
    assert skipped == [], skipped
    answer = call(
        stack,
        "POST",
        "/copies",
        account,
        json={"lead_id": SOURCE, "rule": TARGET, "idempotency_key": unique("first-copy-")},
    )
    assert answer.status_code == 201, answer.text
    copy = stack.control.lead(account["id"], answer.json()["lead_id"])
    values = {f["field_id"]: f["values"] for f in copy["custom_fields_values"]}
    assert values[field["id"]] == [{"value": "свежее значение"}]
