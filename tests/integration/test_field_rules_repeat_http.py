"""A repeat's field template gets the occurrence's `{n}` and `{date}` as its name template does (local stack)."""

from __future__ import annotations

from datetime import datetime, timedelta

from amo_emulator.seed_demo import FIELD
from tests.integration.test_repeats_http import (  # noqa: F401 - `stack` is the module's local stack fixture
    MSK,
    SOURCE,
    TARGET,
    copies,
    emulator_now,
    run_due,
    stack,
)
from tests.integration.widget_helpers import call, install


def test_a_repeats_field_template_gets_the_occurrence_number_and_date(stack):  # noqa: F811
    account = install(stack)
    day = (emulator_now(stack) + timedelta(days=2)).date()
    template = "Продление №{n} от {date}"
    body = {
        "lead_id": SOURCE,
        "rule": {**TARGET, "field_rules": [{"field_id": FIELD["Назначение платежа"], "template": template}]},
        "every": {"unit": "day", "n": 1},
        "at": "10:00",
        "start": day.isoformat(),
        "count": 1,
        "timezone": "Europe/Moscow",
        "idempotency_key": "field-template-repeat",
    }
    created = call(stack, "POST", "/repeats", account, json=body)
    assert created.status_code == 201, created.text
    first = datetime.fromisoformat(created.json()["next_at"].replace("Z", "+00:00"))
    run_due(stack, first)
    (copy,) = copies(stack, account)
    lead = stack.control.lead(account["id"], copy["id"])
    values = {f["field_id"]: f["values"] for f in lead["custom_fields_values"]}
    assert values[FIELD["Назначение платежа"]][0]["value"] == f"Продление №1 от {first.astimezone(MSK):%d.%m.%Y}"
