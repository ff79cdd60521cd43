"""GET /widget/leads (deals by name, the card's own linked elements) and the field tree's notes in GET /widget/settings.

The widget names deals, lists the deal's elements one by one, and
knows before copying which fields amoCRM never writes and which an anonymised copy drops.
"""

from __future__ import annotations

import pytest

from amo_emulator.seed_demo import CATALOGS, FIELD, LEAD_IDS, pipeline_id, status_id
from tests.integration.widget_helpers import call, install

SOURCE = LEAD_IDS[0]


@pytest.fixture
def account(stack):
    return install(stack)


def test_leads_by_name_with_their_elements(stack, account):
    answer = call(stack, "GET", f"/widget/leads?ids={SOURCE},{LEAD_IDS[1]},999&with=elements", account)
    assert answer.status_code == 200, answer.text
    leads = {lead["id"]: lead for lead in answer.json()["leads"]}
    assert set(leads) == {SOURCE, LEAD_IDS[1]}  # an unknown id is simply absent
    source = stack.control.lead(account["id"], SOURCE)
    view = leads[SOURCE]
    assert view["name"] == source["name"]
    assert view["stage"] == "Воронка → Переговоры"
    assert (view["pipeline_id"], view["status_id"]) == (pipeline_id("Воронка"), status_id("Воронка", "Переговоры"))
    linked = {x["to_entity_id"]: x["metadata"] for x in source["links"] if x["to_entity_type"] == "catalog_elements"}
    assert {e["id"] for e in view["elements"]} == set(linked)
    for element in view["elements"]:
        assert element["name"] and not element["name"].startswith("#")
        assert element["quantity"] == linked[element["id"]]["quantity"]
    assert {e["catalog_id"] for e in view["elements"]} >= {CATALOGS["Товары"]}


def test_settings_tell_which_fields_an_anonymised_copy_drops_and_why(stack, account):
    fields = {f["id"]: f for f in call(stack, "GET", "/widget/settings", account).json()["lead_fields"]["custom"]}
    for name in ("ИНН", "n_lat", "Договор", "Сумма предоплаты", "Юр. лицо"):
        field = fields[FIELD[name]]
        assert field["anonymise_reason"].startswith("anonymised-"), name
        assert field["anonymise_reason_ru"].startswith("обезличенная копия")
        assert field["anonymise_reason_en"].startswith("anonymised copy")
    assert "anonymise_reason" not in fields[FIELD["Спецификация"]]
