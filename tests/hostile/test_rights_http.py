"""Claims and rights checked strictly over HTTP; an uninstalled account's data expires.

- a one-time token whose `iss` is not a host of the account's base domain is refused;
- shared presets are written and deleted by admins only; a manager keeps personal presets
  (listed to them alone); `overrides` cannot turn off a preset's anonymisation
  (`tests/copying/test_rule_resolution.py`, and over HTTP in `tests/integration/test_widget_api.py`);
- a genuine uninstall drops the tokens and gives every item of the account a TTL within
  30 days (a renewal armed for next year and its backlog item included); a re-install within
  them gives each item its own TTL back.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from boto3.dynamodb.conditions import Key

from amo_emulator.seed_demo import USERS
from dealcopy.install import uninstall_signature
from devstack.client import install_via_oauth, widget_token
from devstack.http import HTTP
from tests.dp.helpers import call, install, stage

MANAGER = USERS["Дмитрий Артемьевич"]
OTHER_MANAGER = USERS["Людмила Артемьевна"]
RULE = {**stage("Выполнение", "В работе"), "fields": [], "catalogs": []}


@pytest.fixture(scope="module")
def account(dp_stack):
    return install(dp_stack)


@pytest.mark.parametrize("iss", ["https://evil.example.com", "https://{sub}.kommo.com", "https://other.amocrm.ru"])
def test_a_token_whose_iss_is_not_the_accounts_is_refused(dp_stack, account, iss):
    token = widget_token(dp_stack, account, iss=iss.format(sub=account["subdomain"]))
    answer = call(dp_stack, "GET", "/widget/settings", account, token=token)
    assert answer.status_code == 401 and answer.json()["code"] == "unauthenticated", answer.text
    stored = dp_stack.table("AccountsTable").get_item(Key={"account_id": account["id"]})["Item"]
    assert stored["subdomain"] == account["subdomain"]  # nothing followed


def test_shared_presets_are_admins_and_managers_keep_their_own(dp_stack, account):
    body = {"name": "Общий", "rule": RULE}
    assert call(dp_stack, "PUT", "/widget/presets/shared1", account, json=body).status_code == 200
    for method, kwargs in (("PUT", {"json": {**body, "name": "Мой"}}), ("DELETE", {})):
        refused = call(dp_stack, method, "/widget/presets/shared1", account, user_id=MANAGER, **kwargs)
        assert refused.status_code == 403 and refused.json()["code"] == "preset-forbidden", refused.text
        assert refused.headers["access-control-allow-origin"] == f"https://{account['subdomain']}.amocrm.ru"
    assert call(dp_stack, "GET", "/widget/presets/shared1", account).json()["name"] == "Общий"
    own = call(dp_stack, "PUT", "/widget/presets/mine1", account, user_id=MANAGER, json={"name": "Мой", "rule": RULE})
    assert own.status_code == 200 and own.json()["owner_user_id"] == MANAGER
    assert call(dp_stack, "PUT", "/widget/presets/mine1", account, user_id=OTHER_MANAGER, json=body).status_code == 403
    listed = {
        p["preset_id"]
        for p in call(dp_stack, "GET", "/widget/settings", account, user_id=OTHER_MANAGER).json()["presets"]
    }
    assert "shared1" in listed and "mine1" not in listed
    assert call(dp_stack, "DELETE", "/widget/presets/mine1", account, user_id=MANAGER).status_code == 204
    assert call(dp_stack, "DELETE", "/widget/presets/shared1", account).status_code == 204


def _items(stack, account_id: int, *more: str) -> list[dict]:
    table = stack.table("JobsTable")
    found = []
    for pk in (f"job#{account_id}", f"activity#{account_id}", f"dpsign#{account_id}", f"backlog#{account_id}", *more):
        found += table.query(KeyConditionExpression=Key("pk").eq(pk), ConsistentRead=True)["Items"]
    presets = stack.table("PresetsTable")
    return found + presets.query(KeyConditionExpression=Key("account_id").eq(account_id), ConsistentRead=True)["Items"]


def test_an_uninstall_drops_the_tokens_and_the_rest_expires_in_30_days_unless_reinstalled(dp_stack):
    gone = install(dp_stack)
    assert call(dp_stack, "PUT", "/widget/presets/kept", gone, json={"name": "Шаблон", "rule": RULE}).status_code == 200
    call(dp_stack, "POST", "/widget/dp/sign", gone, json={"rule": RULE})
    copy = call(
        dp_stack, "POST", "/copies", gone, json={"lead_id": 24_002_812, "rule": RULE, "idempotency_key": "retention-1"}
    )
    assert copy.status_code == 201, copy.text
    renewal = {
        "lead_id": 24_002_812,
        "rule": RULE,
        "every": {"unit": "month", "n": 12},
        "at": "10:00",
        "start": (datetime.now(UTC) + timedelta(days=60)).date().isoformat(),
        "idempotency_key": "retention-renewal",
    }
    assert call(dp_stack, "POST", "/repeats", gone, json=renewal).status_code == 201
    assert any(i["pk"].startswith("backlog#") for i in _items(dp_stack, gone["id"]))  # its fire, due in 14 months
    before = {
        (i.get("pk") or i.get("preset_id"), i.get("sk")): i.get("expires_at") for i in _items(dp_stack, gone["id"])
    }
    dp_stack.control.uninstall(gone["id"], dp_stack.client_id)
    params = {
        "account_id": gone["id"],
        "client_uuid": dp_stack.client_id,
        "signature": uninstall_signature(dp_stack.client_secret, dp_stack.client_id, str(gone["id"])),
    }
    answer = HTTP.get(f"{dp_stack.gateway_url}/oauth/uninstall", params=params, timeout=30)
    assert answer.status_code == 200 and answer.json()["uninstalled"] is True, answer.text
    stored = dp_stack.table("AccountsTable").get_item(Key={"account_id": gone["id"]}, ConsistentRead=True)["Item"]
    assert "access_token" not in stored and "refresh_token" not in stored
    limit = time.time() + 30 * 86400 + 5
    items = _items(dp_stack, gone["id"], f"sched#{gone['id']}")  # the stopped renewal too
    assert len(items) >= 5 and all(0 < int(i["expires_at"]) <= limit for i in items), items
    (again,) = install_via_oauth(dp_stack, dp_stack.control, gone)  # re-installed within the 30 days
    assert again.status_code == 200
    after = {
        (i.get("pk") or i.get("preset_id"), i.get("sk")): i.get("expires_at") for i in _items(dp_stack, gone["id"])
    }
    assert after == before
