"""Lead reads (filters, ``with=``, 204, paging) and writes (validation, 250 limit, events)."""

from __future__ import annotations

from typing import Any

from amo_emulator.control import EmulatorControl
from amo_emulator.seed_demo import CONTACTS, FIELD, LEAD_IDS, MANUAL_LEAD_ID, USERS, pipeline_id, status_id

from .conftest import Connected, errors_of

VORONKA = pipeline_id("Воронка")
YANDEX = pipeline_id("Яндекс")


def _one_error(response: Any) -> dict[str, str]:
    items = errors_of(response)
    assert len(items) == 1 and len(items[0]["errors"]) == 1, items
    return {"request_id": items[0]["request_id"], **items[0]["errors"][0]}


def test_get_lead_shape(demo: Connected) -> None:
    response = demo.api.get(f"/api/v4/leads/{MANUAL_LEAD_ID}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/hal+json")
    lead = response.json()
    for key in [
        "id",
        "name",
        "price",
        "responsible_user_id",
        "group_id",
        "status_id",
        "pipeline_id",
        "loss_reason_id",
        "created_by",
        "updated_by",
        "created_at",
        "updated_at",
        "closed_at",
        "closest_task_at",
        "is_deleted",
        "custom_fields_values",
        "score",
        "account_id",
        "labor_cost",
    ]:
        assert key in lead
    assert lead["id"] == MANUAL_LEAD_ID and lead["price"] == 100 and lead["account_id"] == demo.id
    assert lead["_links"]["self"]["href"].endswith(f"/api/v4/leads/{MANUAL_LEAD_ID}")
    assert {t["name"] for t in lead["_embedded"]["tags"]} == {"VIP", "Опт"}
    assert [c["id"] for c in lead["_embedded"]["companies"]] == [53_000_001]
    assert "contacts" not in lead["_embedded"] and "catalog_elements" not in lead["_embedded"]
    first = lead["custom_fields_values"][0]
    assert set(first) == {"field_id", "field_name", "field_code", "field_type", "values"}


def test_get_lead_with(demo: Connected) -> None:
    params = {"with": "contacts,catalog_elements,source_id,loss_reason,is_price_modified_by_robot,bogus"}
    lead = demo.api.get(f"/api/v4/leads/{MANUAL_LEAD_ID}", params=params).json()
    contacts = lead["_embedded"]["contacts"]
    assert [(c["id"], c["is_main"]) for c in contacts] == [
        (CONTACTS["Виктор Соколов"], True),
        (52_000_002, False),
    ]
    elements = {e["id"]: e["metadata"] for e in lead["_embedded"]["catalog_elements"]}
    assert elements[1_300_001] == {"quantity": 2, "catalog_id": 12_001, "price_id": 1_200_002}
    assert elements[1_300_101]["catalog_id"] == 12_002 and elements[1_300_201]["catalog_id"] == 12_003
    assert "source_id" in lead and lead["is_price_modified_by_robot"] is False
    assert lead["_embedded"]["loss_reason"] == []
    lost = demo.api.get("/api/v4/leads/24002819", params={"with": "loss_reason"}).json()
    assert lost["status_id"] == 143 and lost["_embedded"]["loss_reason"][0]["name"] == "Дорого"


def test_missing_lead_is_204(demo: Connected) -> None:
    response = demo.api.get("/api/v4/leads/1")
    assert response.status_code == 204 and response.content == b""
    empty = demo.api.get("/api/v4/leads", params={"filter[id][]": [1, 2]})
    assert empty.status_code == 204 and empty.content == b""


def test_list_filters_and_paging(demo: Connected) -> None:
    ids = demo.api.get("/api/v4/leads", params={"filter[id][]": [24_002_811, 24_002_813, 5]}).json()
    assert [lead["id"] for lead in ids["_embedded"]["leads"]] == [24_002_811, 24_002_813]
    single = demo.api.get("/api/v4/leads", params={"filter[id]": 24_002_812}).json()
    assert [lead["id"] for lead in single["_embedded"]["leads"]] == [24_002_812]
    page1 = demo.api.get("/api/v4/leads", params={"limit": 4}).json()
    assert page1["_page"] == 1 and len(page1["_embedded"]["leads"]) == 4 and "next" in page1["_links"]
    page3 = demo.api.get("/api/v4/leads", params={"limit": 4, "page": 3}).json()
    assert len(page3["_embedded"]["leads"]) == 2 and "next" not in page3["_links"]
    assert demo.api.get("/api/v4/leads", params={"limit": 4, "page": 4}).status_code == 204
    by_pipeline = demo.api.get("/api/v4/leads", params={"filter[pipeline_id]": VORONKA}).json()
    assert {lead["pipeline_id"] for lead in by_pipeline["_embedded"]["leads"]} == {VORONKA}
    won = demo.api.get(
        "/api/v4/leads",
        params={"filter[statuses][0][pipeline_id]": VORONKA, "filter[statuses][0][status_id]": 142},
    ).json()
    assert [lead["id"] for lead in won["_embedded"]["leads"]] == [24_002_818]
    everything = demo.api.get("/api/v4/leads", params={"limit": 250}).json()
    assert [lead["id"] for lead in everything["_embedded"]["leads"]] == LEAD_IDS


def test_limit_over_250_is_422(demo: Connected) -> None:
    response = demo.api.get("/api/v4/leads", params={"limit": 251})
    assert response.status_code == 422
    assert response.json() == {
        "title": "Unprocessable Entity",
        "type": "https://httpstatus.es/422",
        "status": 422,
        "detail": "Limit 250 per page",
    }


def test_create_lead_defaults_links_and_event(demo: Connected, ctl: EmulatorControl) -> None:
    body = [
        {
            "name": "Копия сделки",
            "price": 500,
            "request_id": "copy-1",
            "_embedded": {
                "tags": [{"name": "Копия"}],
                "contacts": [
                    {"id": CONTACTS["Анна Кузнецова"], "is_main": True},
                    {"id": CONTACTS["Виктор Соколов"]},
                ],
                "companies": [{"id": 53_000_001}],
            },
        },
        {"pipeline_id": YANDEX},
    ]
    response = demo.api.post("/api/v4/leads", json=body)
    assert response.status_code == 200, response.text
    created = response.json()["_embedded"]["leads"]
    assert [c["request_id"] for c in created] == ["copy-1", "1"]
    first, second = (demo.api.get(f"/api/v4/leads/{c['id']}", params={"with": "contacts"}).json() for c in created)
    assert first["id"] > max(LEAD_IDS)  # ids keep growing
    assert first["pipeline_id"] == VORONKA and first["status_id"] == status_id("Воронка", "Первичный контакт")
    assert first["responsible_user_id"] == USERS["Евгений Агеев"] and first["created_by"] == USERS["Евгений Агеев"]
    assert [(c["id"], c["is_main"]) for c in first["_embedded"]["contacts"]] == [
        (52_000_002, True),
        (52_000_001, False),
    ]
    assert first["_embedded"]["tags"][0]["name"] == "Копия"
    assert first["custom_fields_values"] is None
    assert second["pipeline_id"] == YANDEX and second["status_id"] == status_id("Яндекс", "Первичный контакт")
    assert second["name"] == f"Сделка #{second['id']}"
    added = demo.api.get("/api/v4/events", params={"filter[type]": "lead_added", "filter[entity_id][]": first["id"]})
    event = added.json()["_embedded"]["events"][0]
    assert event["entity_type"] == "lead" and event["value_after"] == [
        {"lead_status": {"id": first["status_id"], "pipeline_id": VORONKA}}
    ]


def test_create_validation_errors(demo: Connected) -> None:
    cases = [
        ({"pipeline_id": 1}, "pipeline_id", "NotSupportedChoice"),
        (
            {"pipeline_id": VORONKA, "status_id": status_id("Яндекс", "Переговоры")},
            "status_id",
            "NotSupportedChoice",
        ),
        (
            {"status_id": status_id("Яндекс", "Переговоры")},
            "status_id",
            "NotSupportedChoice",
        ),  # main pipeline
        ({"status_id": status_id("Воронка", "Неразобранное")}, "status_id", "NotSupportedChoice"),
        ({"responsible_user_id": 1}, "responsible_user_id", "NotSupportedChoice"),
        ({"responsible_user_id": USERS["Сергей Кузнецов"]}, "responsible_user_id", "NotSupportedChoice"),
        ({"price": "100"}, "price", "InvalidType"),
        ({"name": 5}, "name", "InvalidType"),
        (
            {"custom_fields_values": [{"field_id": 1, "values": [{"value": "x"}]}]},
            "custom_fields_values.0.field_id",
            "NotSupportedChoice",
        ),
        (
            {"custom_fields_values": [{"field_id": FIELD["Город"], "values": [{"enum_id": 7}]}]},
            "custom_fields_values.0.values.0.enum_id",
            "NotSupportedChoice",
        ),
        (
            {"custom_fields_values": [{"field_id": FIELD["Срочно"], "values": [{"value": "да"}]}]},
            "custom_fields_values.0.values.0.value",
            "InvalidType",
        ),
        ({"_embedded": {"contacts": [{"id": 1}]}}, "_embedded.contacts.0.id", "NotSupportedChoice"),
        ({"_embedded": {"companies": [{"id": 1}]}}, "_embedded.companies.0.id", "NotSupportedChoice"),
        ({"_embedded": {"tags": [{"id": 1}]}}, "_embedded.tags.0.id", "NotSupportedChoice"),
        ({"group_id": 0}, "group_id", "FieldNotExpected"),
        ({"loss_reason_id": 1, "status_id": 143}, "loss_reason_id", "NotSupportedChoice"),
    ]
    for item, path, code in cases:
        error = _one_error(demo.api.post("/api/v4/leads", json=[{"name": "ok"}, item]))
        assert (error["request_id"], error["path"], error["code"]) == ("1", path, code), (item, error)
    with_id = _one_error(demo.api.post("/api/v4/leads", json=[{"request_id": "abc", "pipeline_id": 1}]))
    assert with_id["request_id"] == "abc"
    assert demo.api.get("/api/v4/leads", params={"filter[name]": "ok"}).status_code == 204  # nothing written


def test_batch_size_limits(demo: Connected) -> None:
    assert demo.api.post("/api/v4/leads", json=[{"name": f"L{i}"} for i in range(250)]).status_code == 200
    too_many = demo.api.post("/api/v4/leads", json=[{"name": "x"}] * 251)
    assert too_many.status_code == 400 and too_many.json()["detail"] == "Request validation failed"
    assert errors_of(demo.api.post("/api/v4/leads", json=[]))
    assert errors_of(demo.api.post("/api/v4/leads", json={"name": "not a list"}))
    bad_json = demo.api.post("/api/v4/leads", content=b"[{", headers={"content-type": "application/json"})
    assert bad_json.status_code == 400


def test_update_status_records_event(demo: Connected) -> None:
    target = status_id("Воронка", "Оплачен счёт")
    response = demo.api.patch(f"/api/v4/leads/{MANUAL_LEAD_ID}", json={"status_id": target, "price": 900})
    assert response.status_code == 200 and response.json()["id"] == MANUAL_LEAD_ID
    lead = demo.api.get(f"/api/v4/leads/{MANUAL_LEAD_ID}").json()
    assert (lead["status_id"], lead["price"]) == (target, 900)
    events = demo.api.get(
        "/api/v4/events",
        params={
            "filter[type]": "lead_status_changed",
            "filter[entity]": "lead",
            "filter[value_after][leads_statuses][0][pipeline_id]": VORONKA,
            "filter[value_after][leads_statuses][0][status_id]": target,
        },
    ).json()["_embedded"]["events"]
    assert len(events) == 1
    assert events[0]["value_before"] == [
        {"lead_status": {"id": status_id("Воронка", "Переговоры"), "pipeline_id": VORONKA}}
    ]


def test_batch_update_moves_pipeline_and_closes(demo: Connected) -> None:
    body = [
        {"id": 24_002_812, "pipeline_id": YANDEX},
        {
            "id": 24_002_813,
            "status_id": 143,
            "loss_reason_id": 9_000_002,
            "responsible_user_id": USERS["Виктор"],
        },
    ]
    response = demo.api.patch("/api/v4/leads", json=body)
    assert response.status_code == 200, response.text
    moved = demo.api.get("/api/v4/leads/24002812").json()
    assert (moved["pipeline_id"], moved["status_id"]) == (YANDEX, status_id("Яндекс", "Первичный контакт"))
    lost = demo.api.get("/api/v4/leads/24002813").json()
    assert lost["status_id"] == 143 and lost["closed_at"] and lost["loss_reason_id"] == 9_000_002
    assert lost["responsible_user_id"] == USERS["Виктор"]
    unknown = _one_error(demo.api.patch("/api/v4/leads", json=[{"id": 1, "name": "x"}]))
    assert unknown["path"] == "id"
    assert demo.api.patch("/api/v4/leads/1", json={"name": "x"}).status_code == 404


def test_custom_field_update_merges(demo: Connected) -> None:
    before = demo.api.get(f"/api/v4/leads/{MANUAL_LEAD_ID}").json()["custom_fields_values"]
    patch = {
        "custom_fields_values": [
            {"field_id": FIELD["Город"], "values": [{"value": "Москва"}]},
            {"field_id": FIELD["Срочно"], "values": None},
        ]
    }
    assert demo.api.patch(f"/api/v4/leads/{MANUAL_LEAD_ID}", json=patch).status_code == 200
    after = {f["field_id"]: f for f in demo.api.get(f"/api/v4/leads/{MANUAL_LEAD_ID}").json()["custom_fields_values"]}
    assert after[FIELD["Город"]]["values"][0]["value"] == "Москва"
    assert FIELD["Срочно"] not in after
    assert len(after) == len(before) - 1


def test_deleted_lead_and_field(demo: Connected, ctl: EmulatorControl) -> None:
    ctl.delete_lead(demo.id, 24_002_812)
    assert demo.api.get("/api/v4/leads/24002812").status_code == 204
    deleted = demo.api.get("/api/v4/leads", params={"with": "only_deleted"}).json()["_embedded"]["leads"]
    assert [lead["id"] for lead in deleted] == [24_002_812] and deleted[0]["is_deleted"] is True
    ctl.delete_field(demo.id, FIELD["Город"])
    values = demo.api.get(f"/api/v4/leads/{MANUAL_LEAD_ID}").json()["custom_fields_values"]
    assert FIELD["Город"] not in {v["field_id"] for v in values}
    body = [{"custom_fields_values": [{"field_id": FIELD["Город"], "values": [{"value": "Пермь"}]}]}]
    assert _one_error(demo.api.post("/api/v4/leads", json=body))["path"] == "custom_fields_values.0.field_id"


def test_only_the_first_stage_of_filter_statuses_counts(demo: Connected) -> None:
    """The strict reading of the current docs: one stage per request; entries after [0] are ignored."""
    first = (VORONKA, status_id("Воронка", "Переговоры"))
    second = (YANDEX, status_id("Яндекс", "Первичный контакт"))
    ids = {}
    for pipeline, status in (first, second):
        created = demo.api.post("/api/v4/leads", json=[{"name": "stage", "pipeline_id": pipeline, "status_id": status}])
        ids[status] = created.json()["_embedded"]["leads"][0]["id"]
    params = {
        "filter[statuses][0][pipeline_id]": first[0],
        "filter[statuses][0][status_id]": first[1],
        "filter[statuses][1][pipeline_id]": second[0],
        "filter[statuses][1][status_id]": second[1],
        "limit": 250,
    }
    found = {lead["id"] for lead in demo.api.get("/api/v4/leads", params=params).json()["_embedded"]["leads"]}
    assert ids[first[1]] in found and ids[second[1]] not in found
