"""The widget's routes of this feature: DP rule signing, bulk copy and its progress, recent activity."""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid

import httpx
import pytest

from amo_emulator.seed_demo import USERS
from tests.dp.helpers import call, install, leads, stage, wait_for
from tests.integration.widget_helpers import api_requests, log_mark

SUPPORT = stage("Support", "Переговоры")
RULE = {**SUPPORT, "responsible": {"mode": "fixed", "user_id": USERS["Виктор"]}, "fields": [], "catalogs": "all"}
SOURCES = list(range(24_002_811, 24_002_821))


@pytest.fixture(scope="module")
def account(dp_stack):
    return install(dp_stack)


# --- POST /widget/dp/sign ------------------------------------------------------------------------------


def test_sign_returns_the_canonical_rule_and_its_hmac(dp_stack, account):
    answer = call(dp_stack, "POST", "/widget/dp/sign", account, json={"rule": RULE})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    rule = json.loads(body["rule"])
    assert (rule["pipeline_id"], rule["status_id"]) == (SUPPORT["pipeline_id"], SUPPORT["status_id"])
    assert rule["copy_budget"] is True and rule["anonymise"] is False  # normalised: defaults filled in
    assert body["rule"] == json.dumps(rule, sort_keys=True, separators=(",", ":"))
    key = hmac.new(dp_stack.client_secret.encode(), f"dp-rule|{account['id']}".encode(), hashlib.sha256).digest()
    key_id = hashlib.sha256(dp_stack.client_secret.encode()).hexdigest()[:8]  # names the secret that signed
    assert body["signature"] == f"{key_id}.{hmac.new(key, body['rule'].encode(), hashlib.sha256).hexdigest()}"
    again = call(dp_stack, "POST", "/widget/dp/sign", account, json={"rule": {**RULE, "copy_budget": True}}).json()
    assert again == body  # the same rule always gives the same strings
    assert call(dp_stack, "POST", "/widget/dp/sign", account, json={"rule": body["rule"]}).json() == body


def test_only_admins_sign(dp_stack, account):
    answer = call(dp_stack, "POST", "/widget/dp/sign", account, user_id=USERS["Виктор"], json={"rule": RULE})
    assert answer.status_code == 403 and answer.json()["code"] == "admin-only"


@pytest.mark.parametrize(
    ("rule", "path"),
    [
        ({"pipeline_id": 1, "status_id": 2}, "pipeline_id"),
        ({**SUPPORT, "status_id": stage("Support", "Неразобранное")["status_id"]}, "status_id"),
        ({**SUPPORT, "responsible": {"mode": "fixed", "user_id": USERS["Сергей Кузнецов"]}}, "responsible.user_id"),
        ({**SUPPORT, "name_template": "{oops}"}, "name_template"),
    ],
    ids=["unknown-pipeline", "incoming-stage", "deactivated-user", "bad-template"],
)
def test_sign_refuses_a_rule_that_does_not_fit_the_account(dp_stack, account, rule, path):
    answer = call(dp_stack, "POST", "/widget/dp/sign", account, json={"rule": rule})
    assert answer.status_code == 400, answer.text
    assert path in {e["path"] for e in answer.json()["errors"]}


@pytest.mark.parametrize("path", ["/widget/dp/sign", "/widget/activity", "/copies/bulk", "/copies/bulk/abc"])
def test_new_widget_routes_answer_the_cors_preflight(dp_stack, account, path):
    origin = f"https://{account['subdomain']}.amocrm.ru"
    answer = httpx.options(
        f"{dp_stack.gateway_url}{path}",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST" if not path.startswith("/copies/bulk/") else "GET",
            "Access-Control-Request-Headers": "X-Auth-Token",
        },
    )
    assert answer.status_code in (200, 204), answer.text
    assert answer.headers["access-control-allow-origin"] == origin
    assert "x-auth-token" in answer.headers["access-control-allow-headers"].lower()


# --- POST /copies/bulk, GET /copies/bulk/{id} --------------------------------------------------------------


def _bulk(stack, account, lead_ids, key=None, rule=RULE, again=True, **kwargs):
    """A mass action; `again` says the person confirmed copying deals this rule already copied."""
    body = {"lead_ids": lead_ids, "rule": rule, "idempotency_key": key or str(uuid.uuid4()), "confirm_again": again}
    return call(stack, "POST", "/copies/bulk", account, json=body, **kwargs)


def _progress(stack, account, batch_id):
    return call(stack, "GET", f"/copies/bulk/{batch_id}", account)


def test_bulk_copy_of_ten_leads_costs_a_handful_of_requests(dp_stack, account):
    call(dp_stack, "GET", "/widget/settings", account)  # the widget loads its settings first (warm metadata)
    mark = log_mark(dp_stack, account)
    before = len(leads(dp_stack, account))
    answer = _bulk(dp_stack, account, [*SOURCES, 999_999])
    assert answer.status_code == 202, answer.text
    started = answer.json()
    assert started["total"] == 11 and len(started["batch_id"]) == 32

    def finished():
        body = _progress(dp_stack, account, started["batch_id"]).json()
        return body if body["pending"] == 0 else None

    body = wait_for(finished, timeout=40, what="the bulk copy")
    assert (body["total"], body["done"], body["failed"]) == (11, 10, 1)
    assert [r["lead_id"] for r in body["results"]] == [*SOURCES, 999_999]
    for result in body["results"][:10]:
        assert result["state"] == "done" and result["copy_id"] and result["error"] is None
        assert result["url"] == f"https://{account['subdomain']}.amocrm.ru/leads/detail/{result['copy_id']}"
    missing = body["results"][-1]
    assert missing["state"] == "failed" and missing["copy_id"] is None
    assert missing["error"]["code"] == "source_not_found" and missing["error"]["message_ru"]
    assert len(leads(dp_stack, account)) == before + 10
    requests = [e["template"] for e in api_requests(dp_stack, account, mark)]
    # One read, one create, one link and one notes call for all ten (plus a re-send if amoCRM refuses an item).
    assert len(requests) <= 6, requests
    assert requests.count("POST /api/v4/leads") == 1 and requests.count("GET /api/v4/leads") == 1


def test_the_same_bulk_key_twice_is_one_batch_and_another_body_is_refused(dp_stack, account):
    key = str(uuid.uuid4())
    first = _bulk(dp_stack, account, SOURCES[:3], key=key)
    second = _bulk(dp_stack, account, SOURCES[:3], key=key)
    assert first.status_code == second.status_code == 202
    assert first.json() == second.json()
    other = _bulk(dp_stack, account, SOURCES[:4], key=key)
    assert other.status_code == 409 and other.json()["code"] == "key-reused"
    batch = first.json()["batch_id"]
    body = wait_for(lambda: (b := _progress(dp_stack, account, batch).json())["pending"] == 0 and b, what="the batch")
    assert body["done"] == 3
    copies = {r["copy_id"] for r in body["results"]}
    assert len(copies) == 3


def test_the_mass_action_pressed_again_says_how_many_were_copied_and_asks(dp_stack):
    account = install(dp_stack)
    first = _bulk(dp_stack, account, [*SOURCES[:3], 999_999], again=False)
    assert first.status_code == 202, first.text
    batch = first.json()["batch_id"]
    wait_for(lambda: _progress(dp_stack, account, batch).json()["pending"] == 0, what="the first batch")
    made = len(leads(dp_stack, account))

    again = _bulk(dp_stack, account, [*SOURCES[:4], 999_999], again=False)
    assert again.status_code == 409, again.text
    problem = again.json()
    # the missing deal made no copy: it is not counted as copied
    assert (problem["code"], problem["already"], problem["total"]) == ("already-copied", 3, 5)
    assert "3 из 5" in problem["detail"]
    assert len(leads(dp_stack, account)) == made  # nothing was made or queued
    retry_failed = _bulk(dp_stack, account, [999_999], again=False)
    assert retry_failed.status_code == 202, retry_failed.text  # failures again are no repeat
    other_rule = _bulk(dp_stack, account, SOURCES[:1], rule={**RULE, "copy_budget": False}, again=False)
    assert other_rule.status_code == 202, other_rule.text

    confirmed = _bulk(dp_stack, account, [*SOURCES[:4], 999_999], again=True)
    assert confirmed.status_code == 202, confirmed.text
    body = wait_for(
        lambda: (b := _progress(dp_stack, account, confirmed.json()["batch_id"]).json())["pending"] == 0 and b,
        what="the confirmed batch",
    )
    assert (body["done"], body["failed"]) == (4, 1)


def test_bulk_requests_are_validated(dp_stack, account):
    too_many = _bulk(dp_stack, account, list(range(1, 252)))
    assert too_many.status_code == 400
    assert _bulk(dp_stack, account, []).status_code == 400
    bad_rule = _bulk(dp_stack, account, SOURCES[:2], rule={"pipeline_id": 1, "status_id": 1})
    assert bad_rule.status_code == 400
    no_token = _bulk(dp_stack, account, SOURCES[:2], token="")
    assert no_token.status_code == 401


def test_bulk_progress_is_only_for_the_callers_account(dp_stack, account):
    started = _bulk(dp_stack, account, SOURCES[:1]).json()
    other = install(dp_stack)
    answer = call(dp_stack, "GET", f"/copies/bulk/{started['batch_id']}", other)
    assert answer.status_code == 404 and answer.json()["code"] == "batch-not-found"
    assert call(dp_stack, "GET", "/copies/bulk/not-a-batch", account).status_code == 404


# --- GET /widget/activity ------------------------------------------------------------------------------------


def test_activity_lists_manual_dp_and_bulk_copies_and_failures(dp_stack):
    account = install(dp_stack)
    manual = call(
        dp_stack,
        "POST",
        "/copies",
        account,
        json={"lead_id": SOURCES[0], "rule": RULE, "idempotency_key": str(uuid.uuid4())},
    )
    assert manual.status_code == 201, manual.text
    started = _bulk(dp_stack, account, [SOURCES[1], 999_999]).json()
    wait_for(lambda: _progress(dp_stack, account, started["batch_id"]).json()["pending"] == 0, what="the batch")
    answer = call(dp_stack, "GET", "/widget/activity", account)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    copies = {(c["trigger"], c["source_id"]) for c in body["copies"]}
    assert copies == {("manual", SOURCES[0]), ("bulk", SOURCES[1])}
    for entry in body["copies"]:
        assert entry["url"].endswith(f"/leads/detail/{entry['lead_id']}") and entry["at"] > 0
    (failure,) = body["failures"]
    assert failure["trigger"] == "bulk" and failure["source_id"] == 999_999 and failure["code"] == "source_not_found"
    assert failure["message_ru"] and failure["message_en"]
    other = install(dp_stack)
    assert call(dp_stack, "GET", "/widget/activity", other).json() == {"copies": [], "failures": []}
