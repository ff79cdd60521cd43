"""Widget API over the local gateway: settings, presets and manual copies (manual 6.1-6.3, section 7)."""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from amo_emulator.seed_demo import CATALOGS, FIELD, USERS, pipeline_id, status_id
from devstack.http import HTTP
from tests.integration.widget_helpers import ADMIN, api_requests, call, install, log_mark, one_time_token

SOURCE = 24002811  # the manual's deal: products, contacts, company, every field type
SUPPORT = {"pipeline_id": pipeline_id("Support"), "status_id": status_id("Support", "Переговоры")}
LOGISTICS = {"pipeline_id": pipeline_id("Логистика"), "status_id": status_id("Логистика", "Первичный контакт")}


@pytest.fixture
def account(stack):
    return install(stack)


def copy(stack, account, rule=None, *, key=None, user_id=ADMIN, lang="ru", **body):
    payload = {"lead_id": SOURCE, "idempotency_key": key or str(uuid.uuid4()), **body}
    if rule is not None:
        payload["rule"] = rule
    return call(stack, "POST", "/copies", account, user_id=user_id, lang=lang, json=payload)


def leads_of(stack, account):
    return {lead["id"]: lead for lead in stack.control.state(account["id"])["leads"]}


def test_settings_describe_the_account_and_cost_at_most_5_requests_cold_0_warm(stack, account):
    """Cold: the four metadata reads and the account's zone (kept current on every open); warm: nothing."""
    mark = log_mark(stack, account)
    answer = call(stack, "GET", "/widget/settings", account)
    assert answer.status_code == 200, answer.text
    assert answer.headers["access-control-allow-origin"] == f"https://{account['subdomain']}.amocrm.ru"
    body = answer.json()
    assert body["account"]["id"] == account["id"]
    assert {p["name"] for p in body["pipelines"]} >= {"Support", "Яндекс", "Выполнение", "Партнёры", "Логистика"}
    support = next(p for p in body["pipelines"] if p["name"] == "Support")
    assert [s["name"] for s in support["statuses"]][:3] == ["Новое обращение", "Переговоры", "Решено"]
    assert "Неразобранное" not in {s["name"] for s in support["statuses"]}
    user_ids = {u["id"] for u in body["users"]}
    assert ADMIN in user_ids and USERS["Сергей Кузнецов"] not in user_ids  # deactivated users are not offered
    types = {f["type"] for f in body["lead_fields"]["custom"]}
    assert {"text", "multiselect", "file", "chained_list", "legal_entity", "tracking_data"} <= types
    phone = next(f for f in body["lead_fields"]["custom"] if f["type"] == "legal_entity")
    assert phone["sensitivity"] in ("personal", "financial") and phone["copyable"] is True
    assert {c["name"] for c in body["catalogs"]} >= set(list(CATALOGS)[:3])
    assert body["licence"] == {**body["licence"], "kind": "trial", "days_left": 14, "active": True}
    assert body["timezone"] == "Europe/Moscow" and body["connection"]["state"] == "connected"
    cold = api_requests(stack, account, mark)
    assert len(cold) <= 5 and sum(r["path"] == "/api/v4/account" for r in cold) == 1
    mark = log_mark(stack, account)
    assert call(stack, "GET", "/widget/settings", account).status_code == 200
    assert api_requests(stack, account, mark) == []


def test_copy_to_another_pipeline_with_another_responsible(stack, account):
    rule = {**SUPPORT, "responsible": {"mode": "fixed", "user_id": USERS["Виктор"]}}
    answer = copy(stack, account, rule)
    assert answer.status_code == 201, answer.text
    result = answer.json()
    created = leads_of(stack, account)[result["lead_id"]]
    assert (created["pipeline_id"], created["status_id"]) == (SUPPORT["pipeline_id"], SUPPORT["status_id"])
    assert created["responsible_user_id"] == USERS["Виктор"]
    assert result["url"] == f"https://{account['subdomain']}.amocrm.ru/leads/detail/{result['lead_id']}"
    assert result["source_id"] == SOURCE and result["copied"]["contacts"] > 0
    # Every demo field is writable, so a default copy of the manual's deal lists no failure
    # («Не перенесено»); refusals of read-only fields are tested in test_refusals.py.
    assert [s for s in result["skipped"] if s["failure"]] == []


def test_warm_copy_with_products_costs_at_most_4_requests(stack, account):
    assert copy(stack, account, SUPPORT).status_code == 201  # warms the metadata cache
    mark = log_mark(stack, account)
    rule = {**SUPPORT, "fields": [], "catalogs": [CATALOGS["Товары"]]}
    assert copy(stack, account, rule).status_code == 201
    paths = [(e["method"], e["template"]) for e in api_requests(stack, account, mark)]
    assert len(paths) <= 4, paths


def test_same_idempotency_key_twice_returns_the_same_copy(stack, account):
    key = str(uuid.uuid4())
    first = copy(stack, account, SUPPORT, key=key)
    second = copy(stack, account, SUPPORT, key=key)
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["lead_id"] == second.json()["lead_id"]
    assert len(leads_of(stack, account)) == 11  # ten demo leads + one copy
    other_body = copy(stack, account, LOGISTICS, key=key)
    assert other_body.status_code == 409 and other_body.json()["code"] == "key-reused"


def test_same_key_concurrently_makes_one_lead(stack, account):
    key = str(uuid.uuid4())
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda _: copy(stack, account, SUPPORT, key=key), range(4)))
    assert {a.status_code for a in answers} <= {201, 409}
    assert {a.json()["lead_id"] for a in answers if a.status_code == 201}.__len__() == 1
    assert len(leads_of(stack, account)) == 11


def _assert_nothing_created(stack, account, answer, status):
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert len(leads_of(stack, account)) == 10


@pytest.mark.parametrize(
    "token",
    [
        lambda s, a: one_time_token(s, a, secret="forged-secret-of-realistic-length-0123456789"),
        lambda s, a: one_time_token(s, a, exp=int(time.time()) - 600),
        lambda s, a: one_time_token(s, a, aud="https://evil.example"),
        lambda s, a: one_time_token(s, a, client_uuid="someone-else"),
        lambda s, a: "",
    ],
    ids=["forged", "expired", "wrong-aud", "other-client", "missing"],
)
def test_bad_one_time_tokens_get_401_and_create_nothing(stack, account, token):
    raw = token(stack, account)
    answer = call(stack, "POST", "/copies", account, token=raw, json={"lead_id": SOURCE, "rule": SUPPORT})
    _assert_nothing_created(stack, account, answer, 401)


def test_a_reused_token_is_refused(stack, account):
    token = one_time_token(stack, account)
    assert call(stack, "GET", "/widget/settings", account, token=token).status_code == 200
    again = call(stack, "POST", "/copies", account, token=token, json={"lead_id": SOURCE, "rule": SUPPORT})
    _assert_nothing_created(stack, account, again, 401)


def test_the_account_comes_from_the_token_not_the_body(stack, account):
    empty = install(stack, demo=False)  # an account with no such lead
    answer = copy(stack, empty, SUPPORT, account_id=account["id"])
    assert answer.status_code == 400  # unknown body field refused outright
    answer = copy(stack, empty, {"pipeline_id": 1, "status_id": 1})
    assert answer.status_code in (400, 404)
    assert len(leads_of(stack, account)) == 10


def test_lead_of_another_account_is_404(stack, account):
    other = install(stack, demo=False)
    meta = call(stack, "GET", "/widget/settings", other).json()
    target = {"pipeline_id": meta["pipelines"][0]["id"], "status_id": meta["pipelines"][0]["statuses"][0]["id"]}
    answer = copy(stack, other, target, lang="en")
    assert answer.status_code == 404
    assert answer.json()["detail"] == f"Lead #{SOURCE} was not found"


def test_rights_refusal_is_403_with_a_reason(stack, account):
    answer = copy(stack, account, LOGISTICS, user_id=USERS["Виктор"])
    _assert_nothing_created(stack, account, answer, 403)
    assert "Логистика" in answer.json()["detail"] or answer.json()["detail"]


def test_bad_rule_is_400_with_the_field_path(stack, account):
    answer = copy(stack, account, {"pipeline_id": 999, "status_id": 1, "fields": [1, 2]}, lang="en")
    _assert_nothing_created(stack, account, answer, 400)
    paths = {e["path"] for e in answer.json()["errors"]}
    assert "pipeline_id" in paths


def test_expired_licence_is_402(stack, account):
    stack.table("AccountsTable").update_item(
        Key={"account_id": account["id"]},
        UpdateExpression="SET trial_until = :past",
        ExpressionAttributeValues={":past": int(time.time()) - 60},
    )
    answer = copy(stack, account, SUPPORT, lang="en")
    _assert_nothing_created(stack, account, answer, 402)
    assert "licence has expired" in answer.json()["detail"]
    settings = call(stack, "GET", "/widget/settings", account).json()
    assert settings["licence"]["active"] is False and settings["licence"]["days_left"] == 0


def test_amocrm_down_is_503_with_retry_after(stack, account):
    stack.control.add_fault(account["id"], kind="503", count=1000)
    answer = copy(stack, account, SUPPORT)
    stack.control.clear_faults(account["id"])
    _assert_nothing_created(stack, account, answer, 503)
    assert int(answer.headers["retry-after"]) > 0


def test_presets_round_trip_and_copy_by_preset_with_overrides(stack, account):
    rule = {**SUPPORT, "name_template": "{name} — поддержка", "copy_budget": False}
    saved = call(stack, "PUT", "/widget/presets/support", account, json={"name": "В поддержку", "rule": rule})
    assert saved.status_code == 200, saved.text
    bad = call(stack, "PUT", "/widget/presets/bad", account, json={"name": "x", "rule": {**rule, "status_id": 5}})
    assert bad.status_code == 400 and "status_id" in {e["path"] for e in bad.json()["errors"]}
    assert call(stack, "GET", "/widget/presets/bad", account).status_code == 404
    listed = call(stack, "GET", "/widget/settings", account).json()["presets"]
    assert [p["preset_id"] for p in listed] == ["support"]
    answer = copy(stack, account, preset_id="support", overrides={"responsible": {"mode": "actor"}})
    assert answer.status_code == 201, answer.text
    created = leads_of(stack, account)[answer.json()["lead_id"]]
    assert created["name"].endswith("— поддержка") and created["responsible_user_id"] == ADMIN
    assert not created.get("price")
    assert call(stack, "DELETE", "/widget/presets/support", account).status_code == 204
    assert call(stack, "GET", "/widget/presets/support", account).status_code == 404
    missing = copy(stack, account, preset_id="support")
    assert missing.status_code == 400


def _fail_next_create(stack, account, kind):
    stack.control.add_fault(account["id"], kind=kind, count=1, path_prefix="/api/v4/leads", method="POST")


def test_a_timed_out_create_that_happened_is_adopted_not_repeated(stack, account):
    _fail_next_create(stack, account, "504_after_commit")
    # Without fields amoCRM refuses (tracking data): their refusal would mean no lead was made at all.
    answer = copy(stack, account, {**SUPPORT, "fields": [FIELD["Спецификация"], FIELD["Город"]]})
    assert answer.status_code == 201, answer.text
    leads = leads_of(stack, account)
    assert len(leads) == 11  # the lead amoCRM made before timing out, and no second one
    notes = stack.control.lead(account["id"], answer.json()["lead_id"])["notes"]
    assert any(str(SOURCE) in n["params"].get("text", "") for n in notes)  # the copy was finished


def test_a_timed_out_create_that_did_not_happen_is_503_and_a_retry_is_safe(stack, account):
    _fail_next_create(stack, account, "504")
    key = str(uuid.uuid4())
    answer = copy(stack, account, SUPPORT, key=key, lang="en")
    _assert_nothing_created(stack, account, answer, 503)
    assert answer.json()["code"] == "amocrm-unavailable"
    again = copy(stack, account, SUPPORT, key=key)
    assert again.status_code == 201
    assert len(leads_of(stack, account)) == 11


def _assert_problem_for_the_widget(answer, account, status):
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["access-control-allow-origin"] == f"https://{account['subdomain']}.amocrm.ru"
    body = answer.json()
    assert body["status"] == status and body["code"] and body["detail"]
    return body


def test_amocrm_blocking_the_account_is_a_clear_non_5xx_answer_with_cors(stack, account):
    stack.control.add_fault(account["id"], kind="403", count=1)
    try:
        settings = call(stack, "GET", "/widget/settings", account, lang="en")
        created = copy(stack, account, SUPPORT, lang="en")
    finally:
        stack.control.clear_faults(account["id"])
    for answer in (settings, created):
        body = _assert_problem_for_the_widget(answer, account, 403)
        assert body["code"] == "amocrm-blocked" and "blocked" in body["detail"]
    assert len(leads_of(stack, account)) == 10


@pytest.mark.parametrize(
    ("content", "content_type", "status", "code"),
    [
        (b"\xff\xfe\x00{", "application/octet-stream", 400, "bad-encoding"),
        (b"[" * 30_000 + b"]" * 30_000, "application/json", 400, "bad-json"),
        (b"{" + b" " * (65 * 1024) + b"}", "application/json", 413, "body-too-large"),
        (b'{"name": "x", "rule": {"pipeline_id": 9007199254740993, "status_id": 1}}', "application/json", 400, None),
    ],
    ids=["not-utf8", "deep-json", "over-64kb", "huge-id"],
)
def test_hostile_bodies_are_4xx_with_cors_and_change_nothing(stack, account, content, content_type, status, code):
    answer = _raw_put(stack, account, content, content_type)
    body = _assert_problem_for_the_widget(answer, account, status)
    assert code is None or body["code"] == code
    assert call(stack, "GET", "/widget/presets/hostile", account).status_code == 404


def _raw_put(stack, account, content, content_type):

    from devstack.client import widget_token

    headers = {
        "Origin": f"https://{account['subdomain']}.amocrm.ru",
        "X-Auth-Token": widget_token(stack, account, ADMIN),
        "Content-Type": content_type,
    }
    return HTTP.put(f"{stack.gateway_url}/widget/presets/hostile", headers=headers, content=content, timeout=60)


def test_a_string_false_admin_claim_cannot_sign_a_dp_rule(stack, account):
    token = one_time_token(stack, account, is_admin="false")
    answer = call(stack, "POST", "/widget/dp/sign", account, token=token, json={"rule": SUPPORT})
    body = _assert_problem_for_the_widget(answer, account, 403)
    assert body["code"] == "admin-only"


def test_an_anonymised_presets_overrides_are_refused_alike_by_copy_bulk_preview_and_dp_signing(stack, account):
    rule = {**SUPPORT, "anonymise": True, "fields": [FIELD["ИНН"]], "anonymise_extra_field_ids": [FIELD["ИНН"]]}
    assert call(stack, "PUT", "/widget/presets/partner", account, json={"name": "Партнёру", "rule": rule}).is_success
    choice = {"preset_id": "partner", "overrides": {"anonymise": False}}
    key = "weakened-1"
    before = leads_of(stack, account)
    answers = {
        "copy": copy(stack, account, **choice),
        "bulk": call(
            stack, "POST", "/copies/bulk", account, json={"lead_ids": [SOURCE], **choice, "idempotency_key": key}
        ),
        "preview": call(stack, "POST", "/copies/preview", account, json={"lead_id": SOURCE, **choice}),
        "sign": call(stack, "POST", "/widget/dp/sign", account, json=choice),
    }
    for path, answer in answers.items():
        assert answer.status_code == 400, (path, answer.text)
        problem = answer.json()
        assert problem["code"] == "rule_invalid", path
        assert [e["path"] for e in problem["errors"]] == ["overrides.anonymise"], path
        assert "обезличивание нельзя отключить" in problem["errors"][0]["message_ru"]
        assert "cannot be switched off" in problem["errors"][0]["message_en"]
    assert leads_of(stack, account) == before
    signed = call(stack, "POST", "/widget/dp/sign", account, json={"preset_id": "partner"})
    assert signed.status_code == 200 and '"anonymise":true' in signed.json()["rule"], signed.text


def test_an_admin_locks_fields_of_a_shared_preset_and_overrides_cannot_change_them(stack, account):
    rule = {**SUPPORT, "copy_budget": False}
    body = {"name": "Без бюджета", "rule": rule, "locked": ["copy_budget", "responsible"]}
    saved = call(stack, "PUT", "/widget/presets/locked", account, json=body)
    assert saved.status_code == 200 and saved.json()["locked"] == ["copy_budget", "responsible"], saved.text
    assert call(stack, "GET", "/widget/presets/locked", account).json()["locked"] == ["copy_budget", "responsible"]
    manager = USERS["Дмитрий Артемьевич"]
    assert call(stack, "PUT", "/widget/presets/mine", account, user_id=manager, json=body).status_code == 403
    personal = call(stack, "PUT", "/widget/presets/own", account, json={**body, "personal": True})
    assert personal.status_code == 400 and [e["path"] for e in personal.json()["errors"]] == ["locked"]
    unknown = call(stack, "PUT", "/widget/presets/bad", account, json={**body, "locked": ["colour"]})
    assert unknown.status_code == 400 and [e["path"] for e in unknown.json()["errors"]] == ["locked[0]"]

    refused = copy(stack, account, preset_id="locked", overrides={"copy_budget": True, "copy_tags": False})
    assert refused.status_code == 400 and [e["path"] for e in refused.json()["errors"]] == ["overrides.copy_budget"]
    assert "copy_budget" in refused.json()["errors"][0]["message_en"]
    made = copy(stack, account, preset_id="locked", overrides={"copy_budget": False, "copy_tags": False})
    assert made.status_code == 201, made.text
    assert not leads_of(stack, account)[made.json()["lead_id"]].get("price")
