"""Hosts as amoCRM has them: the account's own host, the shared API host of `api_domain`, renames."""

from __future__ import annotations

import jwt

from amo_emulator.control import EmulatorControl

from .conftest import CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, connect

LOOKUP = "/oauth2/account/current/subdomain"


def _on(host: str, **headers: str) -> dict[str, str]:
    return {"Host": host, **headers}


def test_the_token_names_a_shared_api_host_and_the_account_answers_on_its_own(ctl: EmulatorControl) -> None:
    conn = connect(ctl, "demo", demo=False)
    claims = jwt.decode(conn.tokens["access_token"], options={"verify_signature": False})
    assert claims["api_domain"] == "api-b.amocrm.ru" and claims["base_domain"] == "amocrm.ru"
    assert conn.api.get("/api/v4/account", headers=_on("demo.amocrm.ru")).json()["subdomain"] == "demo"
    # the shared host serves no account API, an unknown host nothing at all
    assert conn.api.get("/api/v4/account", headers=_on("api-b.amocrm.ru")).status_code == 404
    assert conn.api.get("/api/v4/account", headers=_on("nobody.amocrm.ru")).status_code == 404
    log = ctl.requests(conn.id)
    assert [e["host"] for e in log] == ["demo.amocrm.ru"]


def test_another_accounts_host_refuses_the_token(ctl: EmulatorControl) -> None:
    conn = connect(ctl, "demo", demo=False)
    ctl.create_account("other")
    assert conn.api.get("/api/v4/account", headers=_on("other.amocrm.ru")).status_code == 401


def test_subdomain_lookup_by_refresh_token_on_the_shared_host(ctl: EmulatorControl) -> None:
    conn = connect(ctl, "demo", demo=False)
    found = ctl.http.get(LOOKUP, headers=_on("api-b.amocrm.ru", **{"X-Refresh-Token": conn.tokens["refresh_token"]}))
    assert found.status_code == 200
    assert found.json() == {"id": conn.id, "subdomain": "demo", "domain": "demo.amocrm.ru", "top_level_domain": "ru"}
    bad = ctl.http.get(LOOKUP, headers=_on("api-b.amocrm.ru", **{"X-Refresh-Token": "def50200nope"}))
    assert bad.status_code == 401
    # the lookup belongs to the shared host, not to the account's
    assert ctl.http.get(LOOKUP, headers=_on("demo.amocrm.ru")).status_code == 404
    assert [e["host"] for e in ctl.requests(conn.id)] == ["api-b.amocrm.ru"]


def test_a_renamed_account_answers_on_its_new_host_only(ctl: EmulatorControl) -> None:
    conn = connect(ctl, "demo", demo=False)
    renamed = ctl.rename_account(conn.id, "newdemo")
    assert renamed["domain"] == "newdemo.amocrm.ru" and renamed["referer"] == "newdemo.amocrm.ru"
    assert conn.api.get("/api/v4/account", headers=_on("demo.amocrm.ru")).status_code == 404
    assert conn.api.get("/api/v4/account", headers=_on("newdemo.amocrm.ru")).json()["subdomain"] == "newdemo"
    refresh = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uri": REDIRECT_URI,
        "grant_type": "refresh_token",
        "refresh_token": conn.tokens["refresh_token"],
    }
    assert ctl.http.post("/oauth2/access_token", json=refresh, headers=_on("demo.amocrm.ru")).status_code == 404
    found = ctl.http.get(LOOKUP, headers=_on("api-b.amocrm.ru", **{"X-Refresh-Token": conn.tokens["refresh_token"]}))
    assert found.json()["domain"] == "newdemo.amocrm.ru"
    assert ctl.http.post("/oauth2/access_token", json=refresh, headers=_on("newdemo.amocrm.ru")).status_code == 200


def test_rename_to_a_taken_subdomain_is_refused(ctl: EmulatorControl) -> None:
    first = ctl.create_account("first")
    ctl.create_account("second")
    answer = ctl.http.post(f"/_emulator/accounts/{first['id']}/rename", json={"subdomain": "second"})
    assert answer.status_code == 400 and "taken" in answer.json()["error"]
