"""A repeat's field template gets the occurrence's `{n}` and `{date}` as its name template does (local stack)."""

from __future__ import annotations

from datetime import timedelta

from amo_emulator.seed_demo import FIELD
from tests.integration.clock_helpers import next_fire, once_at_10_msk
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
    rule = {**TARGET, "field_rules": [{"field_id": FIELD["Назначение платежа"], "template": template}]}
    body = once_at_10_msk(day, "field-template-repeat", lead_id=SOURCE, rule=rule)
    created = call(stack, "POST", "/repeats", account, json=body)
    assert created.status_code == 201, created.text
    first = next_fire(created.json())
    run_due(stack, first)
    (copy,) = copies(stack, account)
    lead = stack.control.lead(account["id"], copy["id"])
    values = {f["field_id"]: f["values"] for f in lead["custom_fields_values"]}
    assert values[FIELD["Назначение платежа"]][0]["value"] == f"Продление №1 от {first.astimezone(MSK):%d.%m.%Y}"
