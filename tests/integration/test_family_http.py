"""`GET /copies/family` over the local gateway: a deal's origin and its copies through two generations,
a deleted copy shown as such, one amoCRM read for the whole family, and the usual widget auth."""

from __future__ import annotations

import uuid

import pytest

from amo_emulator.seed_demo import FIELD, pipeline_id, status_id
from tests.integration.widget_helpers import api_requests, call, install, log_mark

SOURCE = 24002811
SUPPORT = {"pipeline_id": pipeline_id("Support"), "status_id": status_id("Support", "Переговоры")}


@pytest.fixture
def account(stack):
    return install(stack)


def copy_of(stack, account, lead_id: int, **rule) -> int:
    body = {"lead_id": lead_id, "rule": {**SUPPORT, **rule}, "idempotency_key": str(uuid.uuid4())}
    answer = call(stack, "POST", "/copies", account, json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()["lead_id"]


def family(stack, account, lead_id: int, **kwargs):
    return call(stack, "GET", f"/copies/family?lead_id={lead_id}", account, **kwargs)


def test_family_through_two_generations_with_a_deleted_copy(stack, account):
    first = copy_of(stack, account, SOURCE)
    second = copy_of(stack, account, SOURCE, field_rules=[{"field_id": FIELD["Цена"], "clear": True}])
    grandchild = copy_of(stack, account, first)
    stack.control.delete_lead(account["id"], second)

    mark = log_mark(stack, account)
    answer = family(stack, account, SOURCE)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert [r["template"] for r in api_requests(stack, account, mark)] == ["GET /api/v4/leads"]  # one read
    assert body["lead_id"] == SOURCE and body["origin"] is None
    copies = {c["lead_id"]: c for c in body["copies"]}
    assert list(copies) == [first, second, grandchild]
    assert (copies[first]["generation"], copies[grandchild]["generation"]) == (1, 2)
    assert copies[grandchild]["source_id"] == first
    assert copies[first]["exists"] and copies[grandchild]["exists"] and not copies[second]["exists"]
    assert copies[second]["name"] is None and copies[second]["url"].endswith(f"/leads/detail/{second}")
    assert copies[first]["pipeline"] == "Support" and copies[first]["stage"] == "Support → Переговоры"
    assert all(c["trigger"] == "manual" for c in copies.values())
    assert isinstance(copies[first]["created_at"], int)
    assert copies[first]["url"] == f"https://{account['subdomain']}.amocrm.ru/leads/detail/{first}"

    child = family(stack, account, first).json()
    assert child["origin"]["lead_id"] == SOURCE and child["origin"]["url"].endswith(f"/leads/detail/{SOURCE}")
    assert child["origin"]["name"]
    assert [c["lead_id"] for c in child["copies"]] == [grandchild]

    leaf = family(stack, account, grandchild).json()
    assert leaf["origin"]["lead_id"] == first and leaf["copies"] == []


def test_family_needs_a_token_and_a_lead_id(stack, account):
    assert family(stack, account, SOURCE, token="").status_code == 401
    bad = call(stack, "GET", "/copies/family?lead_id=abc", account)
    assert bad.status_code == 400 and bad.json()["errors"][0]["path"] == "lead_id"


def test_another_accounts_copies_are_not_shown(stack, account):
    copy_of(stack, account, SOURCE)
    other = install(stack)
    assert family(stack, other, SOURCE).json()["copies"] == []
