"""What the real API accepts, the emulator accepts too: writes in the official PHP SDK's shapes."""

from __future__ import annotations

import pytest

from amo_emulator.control import EmulatorControl
from amo_emulator.seed_demo import CONTACTS, FIELD, MANUAL_LEAD_ID, USERS, pipeline_id, status_id

from .conftest import Connected

ADMIN = USERS["Евгений Агеев"]


def _created(response) -> int:
    assert response.status_code == 200, response.text
    return response.json()["_embedded"]["leads"][0]["id"]


def test_lead_create_as_the_sdk_sends_it(demo: Connected, ctl: EmulatorControl) -> None:
    """LeadModel::toApi: float price, RFC 3339 dates, tracking data as text, visitor_uid, _embedded.source."""
    lead = {
        "name": "SDK",
        "price": 1500.5,
        "status_id": status_id("Воронка", "Переговоры"),
        "pipeline_id": pipeline_id("Воронка"),
        "custom_fields_values": [
            {"field_id": FIELD["Дата отгрузки"], "values": [{"value": "2024-05-01T00:00:00+03:00"}]},
            {"field_id": FIELD["Дата и время встречи"], "values": [{"value": "2024-05-01T10:30:00+00:00"}]},
            {"field_id": FIELD["Дата рождения"], "values": [{"value": "1990-02-03T00:00:00+00:00"}]},
            {"field_id": FIELD["utm_source"], "values": [{"value": "google"}]},
        ],
        "visitor_uid": "b5cd0b1a-5c7e-4b4e-9a3f-2d1f0e9c8b7a",
        "_embedded": {"source": {"type": "widget", "external_id": "dealcopy"}, "tags": [{"name": "sdk"}]},
        "request_id": "0",
    }
    lead_id = _created(demo.api.post("/api/v4/leads", json=[lead]))
    stored = demo.api.get(f"/api/v4/leads/{lead_id}").json()
    assert stored["price"] == 1500.5
    values = {f["field_id"]: f["values"] for f in stored["custom_fields_values"]}
    assert values[FIELD["Дата отгрузки"]] == [{"value": 1714510800}]  # read back as Unix seconds, as amoCRM does
    assert values[FIELD["Дата и время встречи"]] == [{"value": 1714559400}]
    assert values[FIELD["Дата рождения"]] == [{"value": 634003200}]
    assert values[FIELD["utm_source"]] == [{"value": "google"}]


def test_a_date_that_is_no_date_is_still_refused(demo: Connected) -> None:
    body = [{"custom_fields_values": [{"field_id": FIELD["Дата отгрузки"], "values": [{"value": "вчера"}]}]}]
    assert demo.api.post("/api/v4/leads", json=body).status_code == 400


def test_fractional_price_on_update(demo: Connected) -> None:
    answer = demo.api.patch("/api/v4/leads", json=[{"id": MANUAL_LEAD_ID, "price": 99.99}])
    assert answer.status_code == 200, answer.text
    assert demo.api.get(f"/api/v4/leads/{MANUAL_LEAD_ID}").json()["price"] == 99.99
    assert demo.api.patch("/api/v4/leads", json=[{"id": MANUAL_LEAD_ID, "price": "много"}]).status_code == 400


def test_notes_with_the_sdks_extras(demo: Connected) -> None:
    """NoteModel::toApi: is_need_to_trigger_digital_pipeline, updated_by, created_by."""
    note = {
        "entity_id": MANUAL_LEAD_ID,
        "note_type": "common",
        "params": {"text": "из SDK"},
        "created_by": ADMIN,
        "updated_by": ADMIN,
        "is_need_to_trigger_digital_pipeline": True,
        "request_id": "0",
    }
    assert demo.api.post("/api/v4/leads/notes", json=[note]).status_code == 200
    bad = demo.api.post("/api/v4/leads/notes", json=[{**note, "is_need_to_trigger_digital_pipeline": "yes"}])
    assert bad.status_code == 400


@pytest.mark.parametrize("where", ["top", "metadata"])
def test_links_with_updated_by(demo: Connected, where: str) -> None:
    link = {"to_entity_id": CONTACTS["Анна Кузнецова"], "to_entity_type": "contacts", "metadata": {"is_main": False}}
    if where == "top":
        link["updated_by"] = ADMIN
    else:
        link["metadata"]["updated_by"] = ADMIN
    lead_id = _created(demo.api.post("/api/v4/leads", json=[{"name": "link"}]))
    assert demo.api.post(f"/api/v4/leads/{lead_id}/link", json=[link]).status_code == 200
    batch = [{"entity_id": lead_id, "entity_type": "leads", **link}]
    assert demo.api.post("/api/v4/leads/link", json=batch).status_code == 200


@pytest.mark.parametrize(
    ("kind", "content_type", "body"), [("429_html", "text/html", b"<html>"), ("429_empty", None, b"")]
)
def test_a_429_may_come_without_json(demo: Connected, ctl: EmulatorControl, kind, content_type, body) -> None:
    ctl.add_fault(demo.id, kind=kind, count=1)
    answer = demo.api.get("/api/v4/account")
    assert answer.status_code == 429
    assert answer.content.startswith(body) and (content_type is None or content_type in answer.headers["content-type"])
    assert "retry-after" not in answer.headers
    assert demo.api.get("/api/v4/account").status_code == 200
    ctl.set_limits(demo.id, retry_after_header=True)  # a Retry-After header is U: sent on request
    ctl.add_fault(demo.id, kind=kind, count=1)
    assert demo.api.get("/api/v4/account").headers["retry-after"] == "1"
