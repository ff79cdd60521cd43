"""OAuth: install codes, exchange (JSON and form), rotation, expiry, revocation."""

from __future__ import annotations

import httpx
import jwt

from amo_emulator.control import EmulatorControl

from .conftest import CLIENT_ID, CLIENT_SECRET, REDIRECT_URI

TOKEN_URL = "/oauth2/access_token"


def _exchange(ctl: EmulatorControl, **overrides: str) -> httpx.Response:
    body = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "redirect_uri": REDIRECT_URI}
    return ctl.exchange(**(body | overrides))


def _code(ctl: EmulatorControl, account_id: int) -> str:
    return ctl.install(account_id, CLIENT_ID)["code"]


def _refresh(ctl: EmulatorControl, refresh_token: str) -> httpx.Response:
    return _exchange(ctl, grant_type="refresh_token", refresh_token=refresh_token)


def test_install_gives_code_and_referer(ctl: EmulatorControl) -> None:
    acc = ctl.create_account("shop", demo=True)
    install = ctl.install(acc["id"], CLIENT_ID, state="xyz")
    assert install["referer"] == "shop.amocrm.ru"
    assert install["redirect_url"].startswith(REDIRECT_URI + "?code=")
    assert "referer=shop.amocrm.ru" in install["redirect_url"] and "state=xyz" in install["redirect_url"]


def test_code_exchange_json_and_claims(ctl: EmulatorControl) -> None:
    acc = ctl.create_account("shop", demo=True)
    response = _exchange(ctl, grant_type="authorization_code", code=_code(ctl, acc["id"]))
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 86400
    assert body["refresh_token"] and isinstance(body["server_time"], int)
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert claims["aud"] == CLIENT_ID
    assert claims["account_id"] == acc["id"]
    # as amoCRM: api_domain is a shared API host, never the account's own host
    assert claims["api_domain"] == "api-b.amocrm.ru" and claims["base_domain"] == "amocrm.ru"
    assert claims["sub"] == str(acc["admin_user_id"]) and claims["scopes"] == ["crm", "notifications"]
    assert claims["exp"] - claims["iat"] == 86400 and claims["jti"]
    with ctl.api(body["access_token"]) as api:
        account = api.get("/api/v4/account").json()
    assert account["id"] == acc["id"] and account["subdomain"] == "shop"


def test_code_exchange_form_encoded(ctl: EmulatorControl) -> None:
    acc = ctl.create_account("shop")
    form = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "grant_type": "authorization_code",
        "code": _code(ctl, acc["id"]),
        "redirect_uri": REDIRECT_URI,
    }
    response = ctl.http.post(TOKEN_URL, data=form)
    assert response.status_code == 200, response.text
    assert response.json()["access_token"]


def test_code_is_single_use(ctl: EmulatorControl) -> None:
    acc = ctl.create_account("shop")
    code = _code(ctl, acc["id"])
    assert _exchange(ctl, grant_type="authorization_code", code=code).status_code == 200
    again = _exchange(ctl, grant_type="authorization_code", code=code)
    assert again.status_code == 400
    body = again.json()
    assert body["title"] == "Некорректный запрос"
    assert body["type"] == "https://developers.amocrm.ru/v3/errors/OAuthProblemJson"
    assert "revoked" in body["hint"]


def test_code_expires_after_20_minutes(ctl: EmulatorControl) -> None:
    acc = ctl.create_account("shop")
    code = _code(ctl, acc["id"])
    ctl.advance_clock(20 * 60 + 1)
    response = _exchange(ctl, grant_type="authorization_code", code=code)
    assert response.status_code == 400 and "expired" in response.json()["hint"]


def test_wrong_secret_redirect_and_garbage(ctl: EmulatorControl) -> None:
    acc = ctl.create_account("shop")
    code = _code(ctl, acc["id"])
    assert _exchange(ctl, grant_type="authorization_code", code=code, client_secret="nope").status_code == 400
    bad_redirect = _exchange(ctl, grant_type="authorization_code", code=code, redirect_uri="https://evil.example")
    assert bad_redirect.status_code == 400
    assert _exchange(ctl, grant_type="authorization_code", code="garbage").status_code == 400
    assert _exchange(ctl, grant_type="password", code=code).status_code == 400
    # the failed attempts did not burn the code
    assert _exchange(ctl, grant_type="authorization_code", code=code).status_code == 200


def test_refresh_rotation(ctl: EmulatorControl) -> None:
    acc = ctl.create_account("shop")
    first = _exchange(ctl, grant_type="authorization_code", code=_code(ctl, acc["id"])).json()
    second = _refresh(ctl, first["refresh_token"]).json()
    assert second["access_token"] != first["access_token"]
    assert second["refresh_token"] != first["refresh_token"]
    # the new pair is unused, so the old refresh token still works (a lost response can be retried)
    third = _refresh(ctl, first["refresh_token"])
    assert third.status_code == 200
    with ctl.api(third.json()["access_token"]) as api:
        assert api.get("/api/v4/account").status_code == 200
    # a pair made from it has been used: the old refresh token is dead now
    dead = _refresh(ctl, first["refresh_token"])
    assert dead.status_code == 400 and "revoked" in dead.json()["hint"]
    # the previous access token stays valid until it expires
    with ctl.api(first["access_token"]) as api:
        assert api.get("/api/v4/account").status_code == 200


def test_using_new_refresh_token_kills_the_old_one(ctl: EmulatorControl) -> None:
    acc = ctl.create_account("shop")
    first = _exchange(ctl, grant_type="authorization_code", code=_code(ctl, acc["id"])).json()
    second = _refresh(ctl, first["refresh_token"]).json()
    assert _refresh(ctl, second["refresh_token"]).status_code == 200
    assert _refresh(ctl, first["refresh_token"]).status_code == 400


def test_expired_access_token_then_refresh(ctl: EmulatorControl) -> None:
    acc = ctl.create_account("shop")
    tokens = ctl.issue_tokens(acc["id"], CLIENT_ID)
    ctl.expire_tokens(acc["id"])
    with ctl.api(tokens["access_token"]) as api:
        response = api.get("/api/v4/account")
    assert response.status_code == 401
    assert response.json()["type"] == "https://httpstatus.es/401"
    fresh = _refresh(ctl, tokens["refresh_token"]).json()
    with ctl.api(fresh["access_token"]) as api:
        assert api.get("/api/v4/account").status_code == 200


def test_access_token_lifetime_follows_clock(ctl: EmulatorControl) -> None:
    acc = ctl.create_account("shop")
    tokens = ctl.issue_tokens(acc["id"], CLIENT_ID)
    ctl.advance_clock(24 * 3600 + 5)
    with ctl.api(tokens["access_token"]) as api:
        assert api.get("/api/v4/account").status_code == 401
    assert _refresh(ctl, tokens["refresh_token"]).status_code == 200
    ctl.advance_clock(91 * 24 * 3600)
    assert _refresh(ctl, tokens["refresh_token"]).status_code == 400


def test_uninstall_revokes_everything(ctl: EmulatorControl) -> None:
    acc = ctl.create_account("shop")
    tokens = ctl.issue_tokens(acc["id"], CLIENT_ID)
    assert ctl.uninstall(acc["id"], CLIENT_ID)["revoked"] == 1
    with ctl.api(tokens["access_token"]) as api:
        assert api.get("/api/v4/leads").status_code == 401
    assert _refresh(ctl, tokens["refresh_token"]).status_code == 401


def test_missing_or_foreign_token_is_401(ctl: EmulatorControl) -> None:
    ctl.create_account("shop")
    assert ctl.http.get("/api/v4/leads").status_code == 401
    forged = jwt.encode({"jti": "x", "account_id": 1}, "k" * 32, algorithm="HS256")
    with ctl.api(forged) as api:
        response = api.get("/api/v4/leads")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")


def test_token_requests_are_logged_by_grant(ctl: EmulatorControl) -> None:
    acc = ctl.create_account("shop")
    first = _exchange(ctl, grant_type="authorization_code", code=_code(ctl, acc["id"])).json()
    _refresh(ctl, first["refresh_token"])
    _exchange(ctl, grant_type="refresh_token", refresh_token=first["refresh_token"], client_secret="bad")
    log = [e for e in ctl.requests(acc["id"]) if e["path"] == TOKEN_URL]
    assert [(e["grant_type"], e["status"]) for e in log] == [
        ("authorization_code", 200),
        ("refresh_token", 200),
        ("refresh_token", 400),
    ]
    assert log[0]["body"]["client_secret"] == "***"
    stats = ctl.stats(acc["id"])
    assert stats["refreshes"] == 1 and stats["code_exchanges"] == 1


def test_kommo_style_base_domain(ctl: EmulatorControl) -> None:
    acc = ctl.create_account("globex", base_domain="kommo.com")
    assert ctl.install(acc["id"], CLIENT_ID)["referer"] == "globex.kommo.com"
    claims = jwt.decode(ctl.issue_tokens(acc["id"], CLIENT_ID)["access_token"], options={"verify_signature": False})
    assert claims["api_domain"] == "api-b.kommo.com" and claims["base_domain"] == "kommo.com"


def test_a_refresh_token_dies_90_days_after_its_pair_was_issued(ctl: EmulatorControl) -> None:
    """amoCRM refresh tokens live three months (the keep-alive's reason to exist), on the emulator's clock."""
    acc = ctl.create_account("shop")
    young, old = ctl.issue_tokens(acc["id"], CLIENT_ID), ctl.issue_tokens(acc["id"], CLIENT_ID)
    ctl.advance_clock(89 * 86400)
    assert _refresh(ctl, young["refresh_token"]).status_code == 200
    ctl.advance_clock(1 * 86400 + 5)
    expired = _refresh(ctl, old["refresh_token"])
    assert expired.status_code == 400 and expired.json()["hint"] == "Token has expired"
