"""Delayed and recurring copies, and the copy preview, through the local gateway, moto and the emulator.

Schedules live in moto's EventBridge Scheduler; `POST /_devstack/scheduler/run-due` fires those
due up to a time and moves the emulator's clock there, so months of repeats run in seconds.
The stack is this module's own: its clock only moves forward.
"""

from __future__ import annotations

import calendar
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from amo_emulator.seed_demo import pipeline_id, status_id
from devstack.http import HTTP
from tests.dp.helpers import add_trigger, leads_in, notes_on, sign, wait_for
from tests.integration.clock_helpers import clocked_stack, drain, emulator_now, once_at_10_msk
from tests.integration.widget_helpers import api_requests, call, install, log_mark
from tools.bench_scale.load import seed_leads

MSK = ZoneInfo("Europe/Moscow")
SOURCE = 24_002_811  # the manual's deal
SHIP_DATE = 1_100_035  # «Дата отгрузки», a date field
TEXT_FIELD = 1_100_005  # «Трек-номер LiveInform», text
TARGET = {"pipeline_id": pipeline_id("Повторные продажи"), "status_id": status_id("Повторные продажи", "Новый запрос")}
TRIGGER = {"pipeline_id": pipeline_id("Воронка"), "status_id": status_id("Воронка", "Оплачен счёт")}
LOST = 143


@pytest.fixture(scope="module")
def stack():
    with clocked_stack() as stack:
        yield stack


# --- helpers ---------------------------------------------------------------------------------------


def run_due(stack, moment: datetime) -> list[dict[str, str]]:
    answer = HTTP.post(f"{stack.gateway_url}/_devstack/scheduler/run-due", json={"now": moment.isoformat()}, timeout=60)
    assert answer.status_code == 200, answer.text
    drain(stack)
    return answer.json()["fired"]


def set_date(stack, account, lead_id: int, day: date) -> None:
    """Write the lead's ship date as amoCRM stores a date: a Unix time (noon UTC keeps the day in any zone)."""
    token = stack.control.issue_tokens(account["id"], "writer")["access_token"]
    moment = int(datetime(day.year, day.month, day.day, 12, tzinfo=UTC).timestamp())
    body = {"custom_fields_values": [{"field_id": SHIP_DATE, "values": [{"value": moment}]}]}
    with stack.control.api(token) as api:
        answer = api.patch(f"/api/v4/leads/{lead_id}", json=body, headers={"Host": f"{account['subdomain']}.amocrm.ru"})
    assert answer.status_code == 200, answer.text


def at_10_msk(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=MSK).astimezone(UTC)


def group_schedules(stack, prefix: str = "") -> list[str]:
    import boto3

    client = boto3.client("scheduler", endpoint_url=stack.moto_url, region_name=stack.region)
    names = []
    for page in client.get_paginator("list_schedules").paginate():
        names += [s["Name"] for s in page.get("Schedules", []) if s["Name"].startswith(prefix)]
    return names


def copies(stack, account, prefix: str = "") -> list[dict[str, Any]]:
    return [lead for lead in leads_in(stack, account, TARGET) if lead["name"].startswith(prefix)]


def problem_paths(answer: httpx.Response) -> set[str]:
    assert answer.status_code == 400, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    return {e["path"] for e in answer.json().get("errors", [])}


def delayed_rule(**delay: Any) -> dict[str, Any]:
    field = {"field": {"field_id": SHIP_DATE, "offset_days": -30, "at": "10:00"}}
    return {**TARGET, "name_template": "Продление: {name}", "delay": {**field, **delay}}


def enter_trigger(stack, account, lead_id: int) -> None:
    """The lead enters the stage with our DP action (the emulator posts the hook as amoCRM does)."""
    stack.control.move_lead(account["id"], lead_id, TRIGGER["pipeline_id"], TRIGGER["status_id"])
    # Waits on the table, not on a widget route: the local stack runs every function in one process, and
    # powertools keeps the current event on a class, so a widget call during the hook could read its headers.
    wait_for(lambda: pending_items(stack, account, lead_id), timeout=60, what="the delayed copy to be planned")
    drain(stack)


def pending_items(stack, account, lead_id: int) -> list[dict[str, Any]]:
    from boto3.dynamodb.conditions import Attr, Key

    found = stack.table("JobsTable").query(
        KeyConditionExpression=Key("pk").eq(f"sched#{account['id']}") & Key("sk").begins_with("pending#"),
        FilterExpression=Attr("lead_id").eq(lead_id),
        ConsistentRead=True,
    )
    return found["Items"]


def scheduled(stack, account, lead_id: int) -> list[dict[str, Any]]:
    answer = call(stack, "GET", f"/scheduled?lead_id={lead_id}", account)
    assert answer.status_code == 200, answer.text
    return answer.json()["scheduled"]


# --- delayed DP copies -------------------------------------------------------------------------------


def test_delayed_copies_30_days_before_a_date_field(stack):
    """Every hook comes first, at the real time (the hook refuses events from the future), then the clock moves."""
    account = install(stack)
    add_trigger(stack, account, TRIGGER, sign(stack, account, delayed_rule()))
    plain, moved, lost, cancelled = 24_002_811, 24_002_812, 24_002_813, 24_002_814
    ship = (emulator_now(stack) + timedelta(days=40)).date()
    due = at_10_msk(ship - timedelta(days=30))
    for lead in (plain, moved, lost, cancelled):
        set_date(stack, account, lead, ship)
        enter_trigger(stack, account, lead)
        assert [p["due_at"] for p in scheduled(stack, account, lead)] == [due.strftime("%Y-%m-%dT%H:%M:%SZ")]
    assert copies(stack, account) == []

    (pending,) = scheduled(stack, account, cancelled)
    assert call(stack, "DELETE", f"/scheduled/{pending['pending_id']}", account).status_code == 204
    assert group_schedules(stack, pending["pending_id"]) == []
    assert call(stack, "DELETE", f"/scheduled/{pending['pending_id']}", account).status_code == 404
    set_date(stack, account, moved, ship + timedelta(days=7))  # the date moved a week later
    stack.control.move_lead(account["id"], lost, TRIGGER["pipeline_id"], LOST)  # closed as lost

    run_due(stack, due - timedelta(minutes=1))
    assert copies(stack, account) == []
    (first,) = scheduled(stack, account, plain)
    fired = run_due(stack, due)
    assert [f["name"] for f in fired if f["name"].startswith(first["pending_id"])], fired
    (copy,) = copies(stack, account)
    assert (copy["pipeline_id"], copy["status_id"]) == (TARGET["pipeline_id"], TARGET["status_id"])
    assert scheduled(stack, account, plain) == [] and scheduled(stack, account, lost) == []
    assert any("сделка закрыта" in text for text in notes_on(stack, account, lost))
    assert [p["due_at"] for p in scheduled(stack, account, moved)] == [
        (due + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M:%SZ")
    ]

    # A second delivery of the same fire (past the queue's de-duplication): still one copy.
    fire = {"v": 1, "scheduled": "delayed", "account_id": account["id"], "id": first["pending_id"]}
    body = json.dumps({**fire, "time": due.strftime("%Y-%m-%dT%H:%M:%SZ")}, separators=(",", ":"))
    url = stack.physical["CopyJobsQueue"]
    stack.sqs.send_message(
        QueueUrl=url, MessageBody=body, MessageGroupId=str(account["id"]), MessageDeduplicationId="again"
    )
    drain(stack)
    assert len(copies(stack, account)) == 1

    run_due(stack, due + timedelta(days=7))
    assert sorted(c["name"] for c in copies(stack, account)) == sorted(
        f"Продление: {stack.control.lead(account['id'], lead)['name']}" for lead in (plain, moved)
    )
    assert scheduled(stack, account, moved) == []
    run_due(stack, due + timedelta(days=30))
    assert len(copies(stack, account)) == 2


@pytest.fixture
def unmoved_stack():
    """A stack whose emulator clock no other test has moved: "already past" is judged by the functions' clock,
    which run-due does not move, so the emulator's dates must still agree with it."""
    with clocked_stack() as stack:
        yield stack


def test_a_delayed_copy_whose_date_has_passed_is_made_at_once_and_the_deal_says_so(unmoved_stack):
    stack = unmoved_stack
    account = install(stack)
    add_trigger(stack, account, TRIGGER, sign(stack, account, delayed_rule()))
    lead = 24_002_815
    ship = (emulator_now(stack) + timedelta(days=10)).date()  # 30 days before it is 20 days ago
    set_date(stack, account, lead, ship)
    stack.control.move_lead(account["id"], lead, TRIGGER["pipeline_id"], TRIGGER["status_id"])
    due = at_10_msk(ship - timedelta(days=30))

    def said():
        drain(stack)
        return [note for note in notes_on(stack, account, lead) if "уже прошла" in note]

    (note,) = wait_for(said, timeout=60, what="the note about the past date")
    assert f"{due.astimezone(MSK):%d.%m.%Y %H:%M} (Europe/Moscow)" in note and "создана сразу" in note
    (copy,) = wait_for(lambda: copies(stack, account), timeout=60, what="the copy made at once")
    assert copy["name"].startswith("Продление: ")
    assert scheduled(stack, account, lead) == []


# --- repeats -----------------------------------------------------------------------------------------


def _non_leap_year_after(moment: datetime) -> int:
    year = moment.year + (0 if moment.date() < date(moment.year, 1, 31) else 1)
    while calendar.isleap(year):
        year += 1
    return year


def _touch(stack, account) -> None:
    """An amoCRM call (a token refresh after a clock jump): refresh tokens live 90 days."""
    assert call(stack, "GET", f"/widget/leads?ids={SOURCE}", account).status_code == 200


def _advance(stack, account, moment: datetime) -> list[dict[str, str]]:
    """run-due up to `moment` in steps of at most 40 days, touching amoCRM between them."""
    fired = []
    while moment - emulator_now(stack) > timedelta(days=40):
        fired += run_due(stack, emulator_now(stack) + timedelta(days=40))
        _touch(stack, account)
    return fired + run_due(stack, moment)


def test_monthly_repeat_from_31_january(stack):
    account = install(stack)
    year = _non_leap_year_after(emulator_now(stack))
    body = {
        "lead_id": SOURCE,
        "rule": {**TARGET, "name_template": "Продление №{n} от {date}"},
        "every": {"unit": "month", "n": 1},
        "at": "10:00",
        "start": f"{year}-01-31",
        "count": 3,
        "timezone": "Europe/Moscow",
        "idempotency_key": "monthly-renewal",
    }
    created = call(stack, "POST", "/repeats", account, json=body)
    assert created.status_code == 201, created.text
    repeat = created.json()
    rid = repeat["repeat_id"]
    feb, mar, apr = date(year, 2, 28), date(year, 3, 31), date(year, 4, 30)
    assert repeat["next_at"] == at_10_msk(feb).strftime("%Y-%m-%dT%H:%M:%SZ") and repeat["next_n"] == 1
    again = call(stack, "POST", "/repeats", account, json=body)
    assert again.status_code == 200 and again.json()["repeat_id"] == rid

    _advance(stack, account, at_10_msk(feb) - timedelta(minutes=1))
    assert copies(stack, account) == []
    run_due(stack, at_10_msk(feb))
    assert [c["name"] for c in copies(stack, account)] == [f"Продление №1 от 28.02.{year}"]

    # Paused: nothing armed, so nothing fires; resumed before 31 March: the sequence continues.
    paused = call(stack, "PATCH", f"/repeats/{rid}", account, json={"paused": True}).json()
    assert paused["state"] == "paused" and group_schedules(stack, rid) == []
    run_due(stack, at_10_msk(date(year, 3, 15)))
    assert len(copies(stack, account)) == 1
    resumed = call(stack, "PATCH", f"/repeats/{rid}", account, json={"paused": False}).json()
    assert resumed["state"] == "active" and resumed["next_n"] == 2

    _advance(stack, account, at_10_msk(mar))
    _advance(stack, account, at_10_msk(apr))
    names = sorted(c["name"] for c in copies(stack, account))
    assert names == sorted(f"Продление №{n} от {d:%d.%m.%Y}" for n, d in ((1, feb), (2, mar), (3, apr)))
    (done,) = call(stack, "GET", f"/repeats?lead_id={SOURCE}", account).json()["repeats"]
    assert done["state"] == "finished" and done["fired"] == 3 and group_schedules(stack, rid) == []
    _advance(stack, account, at_10_msk(date(year, 5, 31)))
    assert len(copies(stack, account)) == 3


def test_renewals_of_one_minute_fire_together_and_each_deal_is_copied_once(stack):
    """25 renewals due the same minute, fired by the scheduler: the first worker run takes the minute's fires
    from the account's backlog (the queue hands it 10), reads their deals together and creates the copies in
    one request; the scheduler's other 15 deliveries find their occurrences done."""
    account = install(stack)
    leads = seed_leads(stack.control, account, 25)
    start = (emulator_now(stack) + timedelta(days=1)).date()
    for lead in leads:
        rule = {**TARGET, "name_template": "Продление в ту же минуту"}
        body = once_at_10_msk(start, f"same-minute-{lead}", lead_id=lead, rule=rule)
        assert call(stack, "POST", "/repeats", account, json=body).status_code == 201
    due = at_10_msk(start + timedelta(days=1))
    run_due(stack, due - timedelta(minutes=1))
    _touch(stack, account)  # the access token of a day ago is refreshed here, not inside the counted requests
    mark = log_mark(stack, account)

    fired = run_due(stack, due)

    assert len([f for f in fired if f["time"] == due.strftime("%Y-%m-%dT%H:%M:%SZ")]) == 25
    made = [e["template"] for e in api_requests(stack, account, mark)]
    assert len(copies(stack, account, "Продление в ту же минуту")) == 25
    # One create for all 25 (one per run, 4 here, when a run took only what the queue handed it).
    assert made.count("POST /api/v4/leads") == 1, made
    assert made.count("GET /api/v4/leads") == 2, made  # which deals still exist, then the copies' sources
    repeats = call(stack, "GET", "/repeats", account).json()["repeats"]
    assert {r["state"] for r in repeats} == {"finished"} and len(repeats) == 25


def test_weekly_repeat_paused_fires_nothing_and_deleted_leaves_no_schedule(stack):
    """Skipping occurrences missed while paused follows the functions' own clock (tests/schedules covers it)."""
    account = install(stack)
    start = (emulator_now(stack) + timedelta(days=1)).date()
    body = {
        "lead_id": SOURCE,
        "rule": {**TARGET, "name_template": "Еженедельно {n}"},
        "every": {"unit": "week", "n": 1},
        "at": "09:30",
        "start": start.isoformat(),
        "idempotency_key": "weekly",
    }
    rid = call(stack, "POST", "/repeats", account, json=body).json()["repeat_id"]
    first = datetime(start.year, start.month, start.day, 9, 30, tzinfo=MSK).astimezone(UTC) + timedelta(days=7)
    assert len(group_schedules(stack, rid)) == 1
    assert call(stack, "PATCH", f"/repeats/{rid}", account, json={"paused": True}).json()["state"] == "paused"
    assert group_schedules(stack, rid) == []
    run_due(stack, first + timedelta(minutes=1))
    assert copies(stack, account) == []
    resumed = call(stack, "PATCH", f"/repeats/{rid}", account, json={"paused": False}).json()
    assert resumed["state"] == "active" and len(group_schedules(stack, rid)) == 1
    assert call(stack, "DELETE", f"/repeats/{rid}", account).status_code == 204
    assert group_schedules(stack, rid) == []
    assert call(stack, "GET", "/repeats", account).json()["repeats"] == []
    assert call(stack, "DELETE", f"/repeats/{rid}", account).status_code == 404
    run_due(stack, first + timedelta(days=14))
    assert copies(stack, account) == []


# --- preview -------------------------------------------------------------------------------------------


def test_preview_of_the_manual_deal_lists_carried_and_skipped_and_writes_nothing(stack):
    account = install(stack)
    rule = {**TARGET, "anonymise": True, "name_template": "Копия #{id}", "copy_tags": False}
    before = stack.control.state(account["id"])
    assert call(stack, "POST", "/copies/preview", account, json={"lead_id": SOURCE, "rule": rule}).status_code == 200
    mark = log_mark(stack, account)
    answer = call(stack, "POST", "/copies/preview", account, json={"lead_id": SOURCE, "rule": rule})
    assert answer.status_code == 200, answer.text
    preview = answer.json()
    assert len(api_requests(stack, account, mark)) <= 1
    assert preview["name"] == f"Копия #{SOURCE}" and preview["stage"]
    assert preview["carried"]["fields"], preview
    skipped = preview["skipped"]
    assert "anonymised" in {s["code"] for s in skipped}
    assert all(s["reason_ru"] and s["reason_en"] for s in skipped)
    after = stack.control.state(account["id"])
    assert len(after["leads"]) == len(before["leads"])
    assert after.get("notes") == before.get("notes")


# --- bad input -------------------------------------------------------------------------------------------


def test_bad_input_on_every_route_is_a_400_with_paths_and_schedules_nothing(stack):
    account = install(stack)
    good = {
        "lead_id": SOURCE,
        "rule": {**TARGET},
        "every": {"unit": "month", "n": 1},
        "at": "10:00",
        "start": "2030-01-31",
        "idempotency_key": "bad-input",
    }
    cases = [
        ({"every": {"unit": "month", "n": 0}}, "every.n"),
        ({"until": "2030-01-01"}, "until"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"at": "25:00"}, "at"),
        ({"rule": {**TARGET, "status_id": 1}}, "rule.status_id"),
    ]
    for change, path in cases:
        assert path in problem_paths(call(stack, "POST", "/repeats", account, json={**good, **change})), change
    assert call(stack, "GET", "/repeats", account).json()["repeats"] == []

    for delay, path in (
        ({"field": {"field_id": 999_999, "offset_days": -30, "at": "10:00"}}, "delay.field.field_id"),
        ({"field": {"field_id": TEXT_FIELD, "offset_days": -30, "at": "10:00"}}, "delay.field.field_id"),
        ({"after_event": {"days": 0}}, "delay"),
    ):
        answer = call(stack, "POST", "/widget/dp/sign", account, json={"rule": {**TARGET, "delay": delay}})
        assert path in {p.split(".after_event")[0] for p in problem_paths(answer)}, answer.text

    rid = call(stack, "POST", "/repeats", account, json=good).json()["repeat_id"]
    assert "until" in problem_paths(call(stack, "PATCH", f"/repeats/{rid}", account, json={"until": "2029-01-01"}))
    assert "every.n" in problem_paths(
        call(stack, "PATCH", f"/repeats/{rid}", account, json={"every": {"unit": "day", "n": -1}})
    )
    assert "lead_id" in problem_paths(call(stack, "GET", "/repeats?lead_id=abc", account))
    assert "lead_id" in problem_paths(call(stack, "GET", "/scheduled?lead_id=0", account))
    assert problem_paths(call(stack, "POST", "/copies/preview", account, json={"rule": TARGET}))
    assert call(stack, "PATCH", "/repeats/rnope", account, json={"paused": True}).status_code == 404
    assert call(stack, "DELETE", "/scheduled/dnope", account).status_code == 404
    assert call(stack, "GET", "/repeats", account, token="").status_code == 401
    (kept,) = call(stack, "GET", "/repeats", account).json()["repeats"]
    assert kept["schedule"]["until"] is None  # the refused change left the repeat as it was
    assert len(group_schedules(stack, rid)) == 1


# --- a preset's locks ---------------------------------------------------------------------------------

INN_FIELD = 1_100_017  # «ИНН», a text field: anonymised only when a rule names it
INN = "7702456781"  # the manual deal's ИНН


def test_a_repeat_cannot_weaken_an_anonymised_preset_at_set_up_or_at_fire(stack):
    account = install(stack)
    rule = {
        **TARGET,
        "name_template": "Партнёру {n}",
        "anonymise": True,
        "fields": [INN_FIELD],
        "anonymise_extra_field_ids": [INN_FIELD],
    }
    assert call(stack, "PUT", "/widget/presets/partner", account, json={"name": "Партнёру", "rule": rule}).is_success
    start = (emulator_now(stack) + timedelta(days=1)).date()
    body = once_at_10_msk(start, "partner-daily", lead_id=SOURCE, preset_id="partner")
    refused = call(stack, "POST", "/repeats", account, json={**body, "overrides": {"anonymise": False}})
    assert problem_paths(refused) == {"overrides.anonymise"}
    assert refused.json()["code"] == "rule_invalid" and "обезличивание нельзя отключить" in refused.json()["detail"]
    assert call(stack, "GET", "/repeats", account).json()["repeats"] == []

    created = call(stack, "POST", "/repeats", account, json={**body, "overrides": {"copy_tags": False}})
    assert created.status_code == 201, created.text
    rid = created.json()["repeat_id"]
    # Stored overrides weakened behind the API's back (an old repeat, a preset anonymised later): the lock wins.
    table = stack.table("JobsTable")
    key = {"pk": f"sched#{account['id']}", "sk": f"repeat#{rid}"}
    stored = json.loads(table.get_item(Key=key, ConsistentRead=True)["Item"]["data"])
    stored["overrides"] = {"anonymise": False, "anonymise_extra_field_ids": [], "copy_tags": False}
    table.update_item(
        Key=key,
        UpdateExpression="SET #d = :d",
        ExpressionAttributeNames={"#d": "data"},
        ExpressionAttributeValues={":d": json.dumps(stored)},
    )

    run_due(stack, at_10_msk(start + timedelta(days=1)))
    (copy,) = copies(stack, account, "Партнёру")
    assert INN not in json.dumps(copy, ensure_ascii=False)
    assert INN_FIELD not in {f["field_id"] for f in copy.get("custom_fields_values") or []}
