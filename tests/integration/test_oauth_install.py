"""OAuth install/uninstall through the local gateway, the real handler, moto and the emulator."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from dealcopy.install import uninstall_signature
from devstack.http import HTTP
from tests.integration.conftest import unique


@pytest.fixture
def account(stack):
    return stack.control.create_account(unique("acc"))


def _callback(stack, **params):
    return HTTP.get(f"{stack.gateway_url}/oauth/callback", params=params, timeout=30)


def _install(stack, account_id):
    grant = stack.control.install(account_id, stack.client_id)
    params = {"code": grant["code"], "referer": grant["referer"], "client_id": stack.client_id, "from_widget": "1"}
    return params, _callback(stack, **params)


def _stored(stack, account_id):
    return stack.table("AccountsTable").get_item(Key={"account_id": account_id}, ConsistentRead=True).get("Item")


def _uninstall(stack, account_id, signature=None, client_uuid=None):
    client_uuid = client_uuid or stack.client_id
    signature = signature or uninstall_signature(stack.client_secret, client_uuid, str(account_id))
    params = {"account_id": account_id, "client_uuid": client_uuid, "signature": signature}
    return HTTP.get(f"{stack.gateway_url}/oauth/uninstall", params=params, timeout=30)


def test_install_stores_the_account_and_its_tokens(stack, account):
    _, answer = _install(stack, account["id"])
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    assert "Виджет «Копия сделки» установлен" in answer.text and "Deal Copy widget installed" in answer.text
    item = _stored(stack, account["id"])
    assert item["status"] == "active"
    assert item["subdomain"] == account["subdomain"]
    assert item["domain"] == f"{account['subdomain']}.amocrm.ru"
    assert item["access_token"] and item["refresh_token"]
    assert item["access_token"] not in answer.text
    assert item["country"] == "RU"  # amoCRM's country of the account: phone numbers without a code (anonymised)
    assert stack.control.stats(account["id"])["code_exchanges"] == 1


def test_repeated_install_callback_succeeds_without_a_second_exchange_or_record(stack, account):
    params, first = _install(stack, account["id"])
    before = _stored(stack, account["id"])
    second = _callback(stack, **params)
    assert (first.status_code, second.status_code) == (200, 200)
    assert _stored(stack, account["id"]) == before
    assert stack.control.stats(account["id"])["code_exchanges"] == 1


def test_concurrent_redirect_and_webhook_make_one_exchange(stack, account):
    grant = stack.control.install(account["id"], stack.client_id)
    params = {"code": grant["code"], "referer": grant["referer"], "client_id": stack.client_id}
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda _: _callback(stack, **params), range(4)))
    assert [a.status_code for a in answers] == [200] * 4
    assert stack.control.stats(account["id"])["code_exchanges"] == 1


def test_denied_access_shows_a_friendly_page_and_stores_nothing(stack, account):
    answer = _callback(stack, error="access_denied", client_id=stack.client_id, state="x")
    assert answer.status_code == 200
    assert "Установка отменена" in answer.text and "Installation cancelled" in answer.text
    assert _stored(stack, account["id"]) is None


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({}, "Код авторизации отсутствует"),
        ({"code": "x"}, "Код авторизации отсутствует"),
        ({"code": "def50200aaaaaaaaaaaaaaaa", "referer": "evil.example.com"}, "не из аккаунта amoCRM"),
    ],
)
def test_missing_or_malformed_input_is_a_400_that_reaches_nobody(stack, account, params, reason):
    answer = _callback(stack, **params)
    assert answer.status_code == 400
    assert reason in answer.text
    assert stack.control.stats(account["id"])["code_exchanges"] == 0


def test_a_code_amocrm_rejects_is_a_400(stack, account):
    answer = _callback(stack, code="def50200" + "0" * 40, referer=f"{account['subdomain']}.amocrm.ru")
    assert answer.status_code == 400
    assert "не принял код" in answer.text and "did not accept" in answer.text
    assert _stored(stack, account["id"]) is None


def test_uninstall_with_a_bad_signature_is_401_and_changes_nothing(stack, account):
    _install(stack, account["id"])
    before = _stored(stack, account["id"])
    forged = _uninstall(stack, account["id"], signature="0" * 64)
    assert forged.status_code == 401
    assert forged.headers["content-type"] == "application/problem+json"
    assert forged.json()["code"] == "bad-uninstall-signature"
    other_client = _uninstall(stack, account["id"], client_uuid="someone-else")
    assert other_client.status_code == 401
    assert _stored(stack, account["id"]) == before


def test_uninstall_drops_tokens_and_reinstall_restores_them_keeping_the_trial(stack, account):
    _install(stack, account["id"])
    first = _stored(stack, account["id"])
    stack.control.uninstall(account["id"], stack.client_id)  # amoCRM revokes the tokens before its hook
    gone = _uninstall(stack, account["id"])
    assert gone.status_code == 200 and gone.json() == {"account_id": account["id"], "uninstalled": True}
    item = _stored(stack, account["id"])
    assert item["status"] == "uninstalled"
    assert "access_token" not in item and "refresh_token" not in item
    _, again = _install(stack, account["id"])
    assert again.status_code == 200
    item = _stored(stack, account["id"])
    assert item["status"] == "active" and item["access_token"]
    assert item["first_installed_at"] == first["first_installed_at"]
    assert item["trial_until"] == first["trial_until"]


def test_uninstall_without_parameters_is_400(stack):
    answer = HTTP.get(f"{stack.gateway_url}/oauth/uninstall", params={"account_id": "1"})
    assert answer.status_code == 400
    assert answer.json()["status"] == 400
