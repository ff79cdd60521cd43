"""Field rules over the local gateway: stored in a preset and applied by a copy from it, and a rule whose
field rule does not fit the account answered 400 with its path."""

from __future__ import annotations

import uuid

import pytest

from amo_emulator.seed_demo import FIELD, pipeline_id, status_id
from tests.integration.widget_helpers import call, install

SOURCE = 24002811
SUPPORT = {"pipeline_id": pipeline_id("Support"), "status_id": status_id("Support", "Переговоры")}


@pytest.fixture
def account(stack):
    return install(stack)


def copy(stack, account, **body):
    return call(
        stack, "POST", "/copies", account, json={"lead_id": SOURCE, "idempotency_key": str(uuid.uuid4()), **body}
    )


def test_a_preset_keeps_its_field_rules_and_a_copy_applies_them(stack, account):
    field_rules = [
        {"field_id": FIELD["Назначение платежа"], "set": "Продление"},
        {"field_id": FIELD["Дата отгрузки"], "clear": True},
    ]
    rule = {**SUPPORT, "field_rules": field_rules}
    saved = call(stack, "PUT", "/widget/presets/renewal", account, json={"name": "Продление", "rule": rule})
    assert saved.status_code == 200, saved.text
    stored = call(stack, "GET", "/widget/presets/renewal", account).json()
    assert stored["rule"]["field_rules"] == field_rules
    answer = copy(stack, account, preset_id="renewal")
    assert answer.status_code == 201, answer.text
    lead = stack.control.lead(account["id"], answer.json()["lead_id"])
    values = {f["field_id"]: f["values"] for f in lead["custom_fields_values"]}
    assert values[FIELD["Назначение платежа"]][0]["value"] == "Продление"
    assert FIELD["Дата отгрузки"] not in values
    assert any(s["code"] == "cleared" and s["ref"] == FIELD["Дата отгрузки"] for s in answer.json()["skipped"])


def test_a_field_rule_that_does_not_fit_is_400_with_its_path(stack, account):
    field_rules = [{"field_id": FIELD["Назначение платежа"], "clear": True}, {"field_id": FIELD["Срочно"], "set": "да"}]
    answer = copy(stack, account, rule={**SUPPORT, "field_rules": field_rules})
    assert answer.status_code == 400, answer.text
    assert [e["path"] for e in answer.json()["errors"]] == ["field_rules[1].set"]
    preview = call(
        stack,
        "POST",
        "/copies/preview",
        account,
        json={"lead_id": SOURCE, "rule": {**SUPPORT, "field_rules": field_rules}},
    )
    assert preview.status_code == 400 and [e["path"] for e in preview.json()["errors"]] == ["field_rules[1].set"]
