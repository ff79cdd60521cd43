"""Accounts: isolation, the demo contents, meta endpoints, request log, stats and the control API."""

from __future__ import annotations

from amo_emulator.control import EmulatorControl
from amo_emulator.custom_fields import OFFERED_TYPES
from amo_emulator.query import parse_nested
from amo_emulator.requestlog import max_in_window
from amo_emulator.seed_demo import (
    DEMO_ACCOUNT_ID,
    DEMO_IDS,
    LEAD_IDS,
    MANUAL_LEAD_ID,
    PIPELINES,
    USERS,
    status_id,
)

from .conftest import CLIENT_ID, Connected, connect


def test_two_accounts_are_isolated(ctl: EmulatorControl) -> None:
    first, second = connect(ctl, "alpha"), connect(ctl, "beta")
    assert first.id != second.id
    created = first.api.post("/api/v4/leads", json=[{"name": "Только в alpha"}]).json()["_embedded"]["leads"][0]["id"]
    assert second.api.get(f"/api/v4/leads/{created}").status_code == 204
    assert first.api.get(f"/api/v4/leads/{created}").status_code == 200
    assert second.api.get("/api/v4/account").json()["subdomain"] == "beta"
    assert len(ctl.requests(first.id)) == 2 and len(ctl.requests(second.id)) == 2


def test_empty_account_has_one_pipeline_and_admin(ctl: EmulatorControl) -> None:
    conn = connect(ctl, "fresh", demo=False)
    pipelines = conn.api.get("/api/v4/leads/pipelines").json()["_embedded"]["pipelines"]
    assert len(pipelines) == 1 and pipelines[0]["is_main"] is True
    statuses = pipelines[0]["_embedded"]["statuses"]
    assert statuses[0]["type"] == 1 and {142, 143} <= {s["id"] for s in statuses}
    users = conn.api.get("/api/v4/users").json()["_embedded"]["users"]
    assert len(users) == 1 and users[0]["rights"]["is_admin"] is True
    assert conn.api.get("/api/v4/leads").status_code == 204
    assert conn.api.get("/api/v4/catalogs").status_code == 204


def test_demo_account_contents(demo: Connected) -> None:
    account = demo.api.get("/api/v4/account").json()
    assert account["id"] == DEMO_ACCOUNT_ID and account["subdomain"] == "demo"
    assert (account["country"], account["currency"], account["currency_symbol"]) == ("RU", "RUB", "₽")
    assert account["is_technical_account"] is False and account["current_user_id"] == USERS["Евгений Агеев"]
    pipelines = {p["name"]: p for p in demo.api.get("/api/v4/leads/pipelines").json()["_embedded"]["pipelines"]}
    assert set(pipelines) == set(PIPELINES)
    for name, (pid, stages) in PIPELINES.items():
        statuses = pipelines[name]["_embedded"]["statuses"]
        assert pipelines[name]["id"] == pid
        assert [s["name"] for s in statuses] == [
            "Неразобранное",
            *stages,
            "Успешно реализовано",
            "Закрыто и не реализовано",
        ]
        assert [s["type"] for s in statuses][:1] == [1] and statuses[-2]["id"] == 142 and statuses[-1]["id"] == 143
    assert pipelines["Воронка"]["is_main"] is True
    one = demo.api.get(f"/api/v4/leads/pipelines/{PIPELINES['Логистика'][0]}").json()
    assert one["name"] == "Логистика" and one["_embedded"]["statuses"][2]["id"] == status_id(
        "Логистика", "Готово к поставке"
    )
    assert demo.api.get("/api/v4/leads/pipelines/1").status_code == 404
    catalogs = {c["name"]: c["type"] for c in demo.api.get("/api/v4/catalogs").json()["_embedded"]["catalogs"]}
    assert catalogs["Товары"] == "products" and catalogs["Счета/покупки"] == "invoices"
    assert catalogs["Мои юр. лица"] == "regular"
    products = demo.api.get("/api/v4/catalogs/12001/elements", params={"filter[id][]": [1_300_001]}).json()
    element = products["_embedded"]["elements"][0]
    assert element["catalog_id"] == 12_001 and {f["field_type"] for f in element["custom_fields_values"]} >= {"price"}
    lead = demo.api.get(f"/api/v4/leads/{MANUAL_LEAD_ID}").json()
    assert {f["field_type"] for f in lead["custom_fields_values"]} == OFFERED_TYPES["leads"]
    contact = demo.api.get("/api/v4/contacts/52000001", params={"with": "leads"}).json()
    assert {f["field_code"] for f in contact["custom_fields_values"]} >= {"PHONE", "EMAIL"}
    assert contact["_embedded"]["companies"][0]["id"] == 53_000_001
    assert MANUAL_LEAD_ID in [lead["id"] for lead in contact["_embedded"]["leads"]]
    company = demo.api.get("/api/v4/companies/53000001", params={"with": "contacts"}).json()
    assert company["name"] == "Арктик Вест-Сервисес" and len(company["_embedded"]["contacts"]) == 2
    found = demo.api.get("/api/v4/contacts", params={"query": "arctic-west"}).json()["_embedded"]["contacts"]
    assert len(found) == 2
    assert demo.api.get("/api/v4/contacts/1").status_code == 204
    assert DEMO_IDS["leads"] == LEAD_IDS and len(LEAD_IDS) == 10


def test_demo_users_and_rights(demo: Connected) -> None:
    body = demo.api.get("/api/v4/users", params={"with": "role,group,uuid,amojo_id", "limit": 250}).json()
    users = {u["name"]: u for u in body["_embedded"]["users"]}
    assert set(users) == set(USERS) and body["_total_items"] == len(USERS)
    assert users["Евгений Агеев"]["rights"]["is_admin"] is True
    assert users["Сергей Кузнецов"]["rights"]["is_active"] is False
    assert users["Людмила Артемьевна"]["rights"]["leads"]["view"] == "M"
    logistics = PIPELINES["Логистика"][0]
    viktor = users["Виктор"]["rights"]["status_rights"]
    assert {r["rights"]["edit"] for r in viktor if r["pipeline_id"] == logistics} == {"D"}
    assert {r["rights"]["edit"] for r in viktor if r["pipeline_id"] != logistics} == {"A"}
    assert users["Виктор"]["_embedded"]["roles"][0]["name"] == "Менеджер"
    assert users["Виктор"]["_embedded"]["groups"][0]["name"] == "Отдел исполнения"
    assert users["Виктор"]["uuid"] and users["Виктор"]["amojo_id"]
    one = demo.api.get(f"/api/v4/users/{USERS['Виктор']}").json()
    assert one["id"] == USERS["Виктор"] and "_embedded" not in one
    roles = demo.api.get("/api/v4/roles").json()["_embedded"]["roles"]
    assert {r["name"] for r in roles} == {"Менеджер", "Руководитель отдела"}


def test_request_log_and_stats(demo: Connected, ctl: EmulatorControl) -> None:
    demo.api.get("/api/v4/leads", params={"filter[id][]": [1, 2], "with": "contacts"})
    demo.api.post("/api/v4/leads", json=[{"name": "Логируемая"}])
    demo.api.get("/api/v4/leads/24002811")
    demo.api.get("/api/v4/leads/24002812")
    demo.api.get("/api/v4/unknown")
    log = ctl.requests(demo.id)
    assert [e["seq"] for e in log] == [1, 2, 3, 4, 5]
    first = log[0]
    assert first["method"] == "GET" and first["path"] == "/api/v4/leads" and first["status"] == 204
    assert first["query"] == {"filter[id][]": ["1", "2"], "with": ["contacts"]}
    assert log[1]["body"] == [{"name": "Логируемая"}] and log[1]["status"] == 200
    assert log[4]["status"] == 404
    assert [e["seq"] for e in ctl.requests(demo.id, since=3)] == [4, 5]
    stats = ctl.stats(demo.id)
    assert stats["by_path"]["GET /api/v4/leads/{id}"] == 2 and stats["by_path"]["POST /api/v4/leads"] == 1
    assert stats["total"] == 5 and stats["status_429"] == 0
    ctl.clear_requests(demo.id)
    assert ctl.requests(demo.id) == []


def test_control_snapshot_seed_and_lead(demo: Connected, ctl: EmulatorControl) -> None:
    created = ctl.seed(
        demo.id,
        {
            "users": [{"name": "Тестовый Пользователь"}],
            "pipelines": [{"name": "Тестовая", "statuses": ["Шаг 1", "Шаг 2"]}],
            "custom_fields": [{"name": "Тип клиента", "type": "select", "enums": ["Новый", "Постоянный"]}],
            "contacts": [
                {
                    "name": "Новый Контакт",
                    "custom_fields_values": [{"field_code": "PHONE", "values": [{"value": "+7000"}]}],
                }
            ],
            "leads": [
                {
                    "name": "Посев",
                    "tags": ["seed"],
                    "custom_fields_values": [{"field_code": None, "field_id": 1_100_034, "values": [{"value": "vk"}]}],
                    "_embedded": {
                        "catalog_elements": [{"id": 1_300_003, "metadata": {"quantity": 7, "catalog_id": 12_001}}]
                    },
                }
            ],
        },
    )
    pipeline = created["pipelines"][0]
    assert [s["name"] for s in pipeline["statuses"]] == [
        "Неразобранное",
        "Шаг 1",
        "Шаг 2",
        "Успешно реализовано",
        "Закрыто и не реализовано",
    ]
    assert created["custom_fields"][0]["enums"][0]["value"] == "Новый"
    lead_id = created["leads"][0]
    lead = ctl.lead(demo.id, lead_id)
    assert lead["links"][0]["metadata"] == {"quantity": 7, "catalog_id": 12_001, "price_id": None}
    assert lead["custom_fields_values"][0]["field_type"] == "tracking_data"  # seeding may set read-only types
    assert lead["_embedded"]["tags"][0]["name"] == "seed" and lead["notes"] == []
    snapshot = ctl.state(demo.id)
    assert {"account", "leads", "contacts", "companies", "notes", "events", "catalog_elements"} <= set(snapshot)
    assert len(snapshot["leads"]) == len(LEAD_IDS) + 1
    manual = next(item for item in snapshot["leads"] if item["id"] == MANUAL_LEAD_ID)
    assert len(manual["notes"]) == 2 and len(manual["links"]) == 7
    bad = ctl.http.post(f"/_emulator/accounts/{demo.id}/seed", json={"leads": [{"pipeline_id": 1}]})
    assert bad.status_code == 400 and bad.json()["validation-errors"][0]["errors"][0]["path"] == "pipeline_id"
    assert ctl.http.get("/_emulator/accounts/1/state").status_code == 404
    assert ctl.demo_ids()["manual_lead_id"] == MANUAL_LEAD_ID


def test_control_accounts_and_integration_errors(ctl: EmulatorControl) -> None:
    acc = ctl.create_account("gamma", account_id=31_000_000, name="Гамма")
    assert acc["id"] == 31_000_000 and acc["referer"] == "gamma.amocrm.ru"
    assert ctl.http.post("/_emulator/accounts", json={"subdomain": "gamma"}).status_code == 400
    assert ctl.http.post(f"/_emulator/accounts/{acc['id']}/install", json={"client_id": "nope"}).status_code == 400
    assert ctl.get_account(acc["id"])["installs"] == {}
    ctl.issue_tokens(acc["id"], CLIENT_ID)
    assert ctl.get_account(acc["id"])["installs"] == {CLIENT_ID: True}
    ctl.reset()
    assert ctl.http.get("/_emulator/accounts").json() == []


def test_query_parser_and_window_helpers() -> None:
    parsed = parse_nested(
        [
            ("filter[id][]", "1"),
            ("filter[id][]", "2"),
            ("filter[value_after][leads_statuses][0][pipeline_id]", "5"),
            ("filter[value_after][leads_statuses][0][status_id]", "6"),
            ("page", "2"),
        ]
    )
    assert parsed == {
        "filter": {
            "id": ["1", "2"],
            "value_after": {"leads_statuses": {"0": {"pipeline_id": "5", "status_id": "6"}}},
        },
        "page": "2",
    }
    assert max_in_window([0.0, 0.5, 0.99, 1.0, 1.2]) == 4


def test_the_account_zone_is_reported_with_datetime_settings_and_follows_the_admin(ctl: EmulatorControl) -> None:
    plain = ctl.create_account("msk")
    ekb = ctl.create_account("ekb", timezone="Asia/Yekaterinburg")
    assert (plain["timezone"], ekb["timezone"]) == ("Europe/Moscow", "Asia/Yekaterinburg")
    tokens = ctl.issue_tokens(ekb["id"], CLIENT_ID)
    with ctl.api(tokens["access_token"]) as api:
        bare = api.get("/api/v4/account").json()
        assert "datetime_settings" not in (bare.get("_embedded") or {})
        settings = api.get("/api/v4/account", params={"with": "datetime_settings"}).json()["_embedded"]
        assert settings["datetime_settings"]["timezone"] == "Asia/Yekaterinburg"
        assert settings["datetime_settings"]["timezone_offset"] == "+05:00"
        ctl.set_timezone(ekb["id"], "America/New_York")
        moved = api.get("/api/v4/account", params={"with": "datetime_settings"}).json()["_embedded"]
        assert moved["datetime_settings"]["timezone"] == "America/New_York"
    try:
        ctl.set_timezone(ekb["id"], "Mars/Olympus")
    except RuntimeError as err:
        assert "-> 400" in str(err)
    else:
        raise AssertionError("an unknown zone was accepted")
