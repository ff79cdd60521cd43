"""Notes on leads and the events feed with its filters."""

from __future__ import annotations

from amo_emulator.control import EmulatorControl
from amo_emulator.seed_demo import MANUAL_LEAD_ID, USERS, pipeline_id, status_id

from .conftest import Connected, errors_of


def test_create_and_list_notes(demo: Connected) -> None:
    body = [
        {"entity_id": 24_002_812, "note_type": "common", "params": {"text": "Позвонить завтра"}},
        {
            "entity_id": 24_002_813,
            "note_type": "service_message",
            "params": {"service": "Копия сделки", "text": "Сделка скопирована в #24002812"},
        },
        {
            "entity_id": 24_002_813,
            "note_type": "extended_service_message",
            "params": {"service": "Копия сделки", "text": "Подробности"},
            "request_id": "n3",
        },
    ]
    response = demo.api.post("/api/v4/leads/notes", json=body)
    assert response.status_code == 200, response.text
    created = response.json()["_embedded"]["notes"]
    assert [n["entity_id"] for n in created] == [24_002_812, 24_002_813, 24_002_813]
    assert created[2]["request_id"] == "n3"
    notes = demo.api.get("/api/v4/leads/24002813/notes").json()["_embedded"]["notes"]
    assert {n["note_type"] for n in notes} == {"service_message", "extended_service_message"}
    note = notes[0]
    assert set(note) >= {
        "id",
        "entity_id",
        "note_type",
        "params",
        "created_at",
        "created_by",
        "responsible_user_id",
        "account_id",
    }
    assert note["created_by"] == USERS["Евгений Агеев"] and note["account_id"] == demo.id
    filtered = demo.api.get(
        "/api/v4/leads/notes", params={"filter[note_type]": "common", "filter[entity_id][]": 24_002_812}
    )
    assert [n["params"]["text"] for n in filtered.json()["_embedded"]["notes"]] == ["Позвонить завтра"]
    single = demo.api.post(
        f"/api/v4/leads/{MANUAL_LEAD_ID}/notes", json=[{"note_type": "common", "params": {"text": "ok"}}]
    )
    assert single.status_code == 200 and single.json()["_embedded"]["notes"][0]["entity_id"] == MANUAL_LEAD_ID
    assert demo.api.get("/api/v4/leads/24002815/notes").status_code == 204


def test_note_validation(demo: Connected) -> None:
    cases = [
        ({"entity_id": 1, "note_type": "common", "params": {"text": "x"}}, "entity_id"),
        ({"entity_id": MANUAL_LEAD_ID, "note_type": "common", "params": {}}, "params.text"),
        (
            {"entity_id": MANUAL_LEAD_ID, "note_type": "service_message", "params": {"text": "x"}},
            "params.service",
        ),
        ({"entity_id": MANUAL_LEAD_ID, "note_type": "telepathy", "params": {"text": "x"}}, "note_type"),
        ({"entity_id": MANUAL_LEAD_ID, "note_type": "common", "params": "x"}, "params"),
    ]
    for item, path in cases:
        errors = errors_of(demo.api.post("/api/v4/leads/notes", json=[item]))
        assert errors[0]["errors"][0]["path"] == path, (item, errors)
    assert (
        demo.api.post("/api/v4/leads/1/notes", json=[{"note_type": "common", "params": {"text": "x"}}]).status_code
        == 404
    )


def test_events_filters(demo: Connected, ctl: EmulatorControl) -> None:
    ctl.advance_clock(3600)
    start = ctl.advance_clock(0)["now"]
    voronka, target = pipeline_id("Воронка"), status_id("Воронка", "Передать партнёру")
    demo.api.patch(
        "/api/v4/leads",
        json=[{"id": 24_002_811, "status_id": target}, {"id": 24_002_820, "status_id": target}],
    )
    demo.api.patch("/api/v4/leads/24002818", json={"status_id": status_id("Воронка", "Переговоры")})
    base = {"filter[type]": "lead_status_changed", "filter[created_at][from]": int(start)}
    events = demo.api.get("/api/v4/events", params=base).json()["_embedded"]["events"]
    assert len(events) == 3 and all(isinstance(e["id"], str) for e in events)
    to_partner = demo.api.get(
        "/api/v4/events",
        params=base
        | {
            "filter[value_after][leads_statuses][0][pipeline_id]": voronka,
            "filter[value_after][leads_statuses][0][status_id]": target,
        },
    ).json()["_embedded"]["events"]
    assert sorted(e["entity_id"] for e in to_partner) == [24_002_811, 24_002_820]
    by_entity = demo.api.get(
        "/api/v4/events", params=base | {"filter[entity]": "lead", "filter[entity_id][]": 24_002_818}
    )
    reopened = by_entity.json()["_embedded"]["events"][0]
    assert reopened["value_before"] == [{"lead_status": {"id": 142, "pipeline_id": voronka}}]
    several = demo.api.get(
        "/api/v4/events", params={"filter[type][]": ["lead_added", "lead_status_changed"], "limit": 100}
    )
    assert {e["type"] for e in several.json()["_embedded"]["events"]} == {"lead_added", "lead_status_changed"}
    until = demo.api.get(
        "/api/v4/events",
        params={"filter[type]": "lead_status_changed", "filter[created_at][to]": int(start) - 1},
    )
    assert until.status_code == 204
    paged = demo.api.get("/api/v4/events", params=base | {"limit": 2}).json()
    assert len(paged["_embedded"]["events"]) == 2 and "next" in paged["_links"]
    assert demo.api.get("/api/v4/events", params={"limit": 101}).status_code == 422
    one = demo.api.get(f"/api/v4/events/{events[0]['id']}").json()
    assert one["id"] == events[0]["id"] and one["entity_type"] == "lead"
