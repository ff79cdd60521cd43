"""«All lists but these»: a rule stores `catalogs: "all"` with `exclude_catalogs`, so a list the
account adds later is carried too; rules that leave no list out keep their canonical text."""

from __future__ import annotations

import json
import uuid

from amo_emulator.seed_demo import CATALOGS, USERS
from tests.dp.helpers import call, install, stage

SOURCE = 24_002_811  # the manual's deal: products, legal entities and invoices linked
TARGET = stage("Support", "Переговоры")
RULE = {**TARGET, "responsible": {"mode": "fixed", "user_id": USERS["Виктор"]}}


def catalogs_linked(stack, account, lead_id: int) -> set[int]:
    lead = stack.control.lead(account["id"], lead_id)
    return {link["metadata"]["catalog_id"] for link in lead["links"] if link["to_entity_type"] == "catalog_elements"}


def test_all_lists_but_products_carries_every_other_list_including_one_added_later(dp_stack):
    account = install(dp_stack)
    rule = {**RULE, "catalogs": "all", "exclude_catalogs": [CATALOGS["Товары"]]}
    signed = call(dp_stack, "POST", "/widget/dp/sign", account, json={"rule": rule}).json()
    stored = json.loads(signed["rule"])
    assert (stored["catalogs"], stored["exclude_catalogs"]) == ("all", [CATALOGS["Товары"]])

    made = call(
        dp_stack,
        "POST",
        "/copies",
        account,
        json={"lead_id": SOURCE, "rule": rule, "idempotency_key": str(uuid.uuid4())},
    )
    assert made.status_code == 201, made.text
    carried = catalogs_linked(dp_stack, account, made.json()["lead_id"])
    assert carried == {CATALOGS["Мои юр. лица"], CATALOGS["Счета/покупки"]}
    assert catalogs_linked(dp_stack, account, SOURCE) >= carried | {CATALOGS["Товары"]}


def test_a_rule_leaving_no_list_out_keeps_its_canonical_text(dp_stack):
    account = install(dp_stack)
    plain = call(dp_stack, "POST", "/widget/dp/sign", account, json={"rule": {**RULE, "catalogs": "all"}}).json()
    empty = {**RULE, "catalogs": "all", "exclude_catalogs": []}
    assert call(dp_stack, "POST", "/widget/dp/sign", account, json={"rule": empty}).json() == plain
    assert "exclude_catalogs" not in json.loads(plain["rule"])
