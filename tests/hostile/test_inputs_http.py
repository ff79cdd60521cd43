"""Over HTTP: every public route answers each hostile input with a 4xx, and changes nothing.

Inputs: a body that is not UTF-8 (API Gateway hands `application/octet-stream` base64-encoded),
JSON nested deeper than the parser recurses, a body over 64 KB, ids beyond amoCRM's 2**53, and
non-ASCII text where a signature (or client id, or token) is compared. Every answer is a 4xx
problem+json (widget routes with the CORS header of the account's origin); afterwards the
emulator has the same leads, the account has no job record or preset more, and it is still installed.
"""

from __future__ import annotations

import json
import time

import httpx
import pytest
from boto3.dynamodb.conditions import Key

from dealcopy.install import uninstall_signature
from devstack.client import widget_token
from devstack.http import HTTP
from tests.dp.helpers import call, hook_form, install, jobs, leads, stage

HUGE_ID = 10**40  # past 2**53, and past what a DynamoDB number holds
TRIGGER = stage("Воронка", "Оплачен счёт")
RULE = {**stage("Выполнение", "В работе"), "fields": [], "catalogs": []}
DEEP = "[" * 30_000 + "]" * 30_000  # under 64 KB, far deeper than json's recursion limit
NON_UTF8 = b"\xff\xfe\xfa" + "сделка".encode("cp1251") + bytes(range(128, 256))
TOO_LARGE = b'{"pad": "' + b"x" * (65 * 1024) + b'"}'
NON_ASCII = "подпись-" + "é" * 56  # 64 characters, like a hex digest

WIDGET_ROUTES = {
    "copies": ("POST", "/copies"),
    "bulk": ("POST", "/copies/bulk"),
    "sign": ("POST", "/widget/dp/sign"),
    "presets": ("PUT", "/widget/presets/hostile"),
    "settings": ("GET", "/widget/settings"),
}
ROUTES = [*WIDGET_ROUTES, "dp-hook", "oauth-callback", "uninstall"]
BODIES = ("not-utf8", "deep", "too-large")
INPUTS = [*BODIES, "huge-ids", "non-ascii-signature"]
HUGE_BODIES = {
    "copies": {"lead_id": HUGE_ID, "rule": RULE, "idempotency_key": "hostile-huge-1"},
    "bulk": {"lead_ids": [24_002_811, HUGE_ID], "rule": RULE, "idempotency_key": "hostile-huge-2"},
    "sign": {"rule": {**RULE, "pipeline_id": HUGE_ID}},
    "presets": {"name": "x", "rule": {**RULE, "status_id": HUGE_ID}},
    "settings": None,
}


@pytest.fixture(scope="module")
def account(dp_stack):
    return install(dp_stack)


@pytest.fixture(scope="module")
def signed(dp_stack, account):
    answer = call(dp_stack, "POST", "/widget/dp/sign", account, json={"rule": RULE})
    assert answer.status_code == 200, answer.text
    return answer.json()


def _raw(kind: str) -> tuple[bytes, str]:
    """A hostile body and its content type."""
    if kind == "not-utf8":
        return NON_UTF8, "application/octet-stream"
    if kind == "deep":
        return DEEP.encode(), "application/json"
    return TOO_LARGE, "application/json"


def _widget(stack, account, route: str, kind: str) -> httpx.Response:
    method, path = WIDGET_ROUTES[route]
    token: str | bytes = widget_token(stack, account)
    content, content_type = None, "application/json"
    if kind == "huge-ids":
        body = HUGE_BODIES[route]
        if body is None:  # no body to hold an id: a token whose account id is huge
            token = widget_token(stack, {**account, "id": HUGE_ID})
        content = json.dumps(body).encode() if body is not None else None
    elif kind == "non-ascii-signature":  # the one-time token is the widget's signature
        token, content = NON_ASCII.encode(), json.dumps(HUGE_BODIES[route]).encode()
    else:
        content, content_type = _raw(kind)
    headers = {
        "Origin": f"https://{account['subdomain']}.amocrm.ru",
        "Accept-Language": "ru",
        "X-Auth-Token": token,
        "Content-Type": content_type,
    }
    return HTTP.request(method, f"{stack.gateway_url}{path}", content=content, headers=headers, timeout=60)


def _hook(stack, account, signed, kind: str) -> httpx.Response:
    url = f"{stack.gateway_url}/dp/hook"
    if kind in BODIES:
        content, content_type = _raw(kind)
        return HTTP.post(url, content=content, headers={"Content-Type": content_type}, timeout=30)
    form = hook_form(account, 24_002_811, TRIGGER, signed, int(time.time()))
    if kind == "huge-ids":
        form["event[data][id]"] = str(HUGE_ID)
    else:
        form["action[settings][widget][settings][signature]"] = NON_ASCII
    return HTTP.post(url, data=form, timeout=30)


def _oauth(stack, account, route: str, kind: str) -> httpx.Response:
    if route == "oauth-callback":
        if kind in BODIES:
            content, content_type = _raw(kind)
            headers = {"Content-Type": content_type}
            return HTTP.post(f"{stack.gateway_url}/oauth/callback", content=content, headers=headers, timeout=30)
        code = "é" * 40 if kind == "non-ascii-signature" else str(HUGE_ID)
        query = {"code": code, "referer": f"{account['subdomain']}.amocrm.ru"}
        return HTTP.get(f"{stack.gateway_url}/oauth/callback", params=query, timeout=30)
    account_id = str(account["id"])
    query = {
        "account_id": account_id,
        "client_uuid": stack.client_id,
        "signature": uninstall_signature(stack.client_secret, stack.client_id, account_id),
    }
    if kind == "huge-ids":
        query["account_id"] = str(HUGE_ID)
        query["signature"] = uninstall_signature(stack.client_secret, stack.client_id, str(HUGE_ID))
    elif kind == "non-ascii-signature":
        query["signature"] = NON_ASCII
    else:  # a body the uninstall hook (GET) never reads, plus a non-ASCII client id
        query["client_uuid"] = NON_ASCII
    content, content_type = _raw(kind) if kind in BODIES else (None, "text/plain")
    return HTTP.request(
        "GET",
        f"{stack.gateway_url}/oauth/uninstall",
        params=query,
        content=content,
        headers={"Content-Type": content_type},
        timeout=30,
    )


def _presets(stack, account) -> list[dict]:
    table = stack.table("PresetsTable")
    return table.query(KeyConditionExpression=Key("account_id").eq(account["id"]), ConsistentRead=True)["Items"]


def _snapshot(stack, account) -> tuple:
    stored = stack.table("AccountsTable").get_item(Key={"account_id": account["id"]}, ConsistentRead=True)["Item"]
    return (
        len(leads(stack, account)),
        len(jobs(stack, account)),
        len(_presets(stack, account)),
        stored["status"],
        stored.get("token_version"),
    )


@pytest.mark.parametrize("kind", INPUTS)
@pytest.mark.parametrize("route", ROUTES)
def test_hostile_input_is_a_4xx_problem_and_changes_nothing(dp_stack, account, signed, route, kind):
    before = _snapshot(dp_stack, account)
    if route in WIDGET_ROUTES:
        answer = _widget(dp_stack, account, route, kind)
    elif route == "dp-hook":
        answer = _hook(dp_stack, account, signed, kind)
    else:
        answer = _oauth(dp_stack, account, route, kind)
    if route == "settings" and kind in BODIES:  # a GET reads no body: it is ignored, never a 5xx
        assert answer.status_code == 200, (answer.status_code, answer.text[:300])
        assert _snapshot(dp_stack, account) == before
        return
    assert 400 <= answer.status_code < 500, (answer.status_code, answer.text[:300])
    if route == "oauth-callback" and answer.headers["content-type"].startswith("text/html"):
        assert "<h1>" in answer.text  # the install redirect answers a person with a page
    else:
        assert answer.headers["content-type"] == "application/problem+json", answer.headers
        problem = answer.json()
        assert problem["status"] == answer.status_code and problem["code"] and problem["detail"]
    if route in WIDGET_ROUTES:
        assert answer.headers.get("access-control-allow-origin") == f"https://{account['subdomain']}.amocrm.ru"
    dp_stack.idle()  # anything queued has been handled by now
    assert _snapshot(dp_stack, account) == before
