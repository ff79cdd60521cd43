"""A refresh that never locks out a healthy account, and uninstall hooks that cannot be replayed.

Everything over HTTP: the local stack in its own process (refresh lease set to 1 s), its moto
server and the amoCRM emulator with injected faults.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from dealcopy.install import uninstall_signature
from devstack import client as stack_client
from devstack.http import HTTP
from tests.integration.widget_helpers import call, install
from tests.support.stack import local_stack


@pytest.fixture(scope="module")
def stack():
    with local_stack("--env", "REFRESH_LOCK_SECONDS=1") as stack:
        yield stack


def _stored(stack, account):
    return stack.table("AccountsTable").get_item(Key={"account_id": account["id"]}, ConsistentRead=True)["Item"]


def _uninstall_hook(stack, account):
    """The hook amoCRM calls on uninstall; its URL never changes, so anyone who saw it can replay it."""
    signature = uninstall_signature(stack.client_secret, stack.client_id, str(account["id"]))
    params = {"account_id": account["id"], "client_uuid": stack.client_id, "signature": signature}
    return HTTP.get(f"{stack.gateway_url}/oauth/uninstall", params=params, timeout=60)


def _pair_works(stack, item) -> bool:
    """The stored access token answers and the stored refresh token is the live one (refreshing it works)."""
    with stack.control.api(item["access_token"]) as api:
        if api.get("/api/v4/account").status_code != 200:
            return False
    refreshed = stack.control.exchange(
        client_id=stack.client_id,
        client_secret=stack.client_secret,
        redirect_uri=stack.redirect_uri,
        grant_type="refresh_token",
        refresh_token=item["refresh_token"],
    )
    return refreshed.status_code == 200


def test_a_refresh_slower_than_its_lease_makes_one_refresh_and_keeps_the_account(stack):
    account = install(stack)
    stack.control.expire_tokens(account["id"])  # amoCRM answers 401 to the stored access token
    stack.control.add_fault(account["id"], kind="slow", delay=3, count=5, path_prefix="/oauth2")
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda _: call(stack, "GET", "/widget/settings", account), range(2)))
    assert [a.status_code for a in answers] == [200, 200], [a.text for a in answers]
    item = _stored(stack, account)
    assert item["status"] == "active"
    assert stack.control.stats(account["id"])["refreshes"] == 1  # the renewed lease kept the other caller waiting
    assert _pair_works(stack, item)
    budget = stack.table("AmoBudgetTable").get_item(Key={"pk": str(account["id"])}, ConsistentRead=True)
    assert budget["Item"]["next_slot"]  # the stack's clients booked their sends in the shared budget


def test_a_blocked_token_endpoint_is_a_503_and_never_a_reinstall(stack):
    account = install(stack)
    stack.control.expire_tokens(account["id"])
    stack.control.add_fault(account["id"], kind="403", count=1, path_prefix="/oauth2")  # stays until cleared
    blocked = call(stack, "GET", "/widget/settings", account)
    assert blocked.status_code == 503, blocked.text
    assert blocked.headers["Retry-After"]
    assert _stored(stack, account)["status"] == "active"
    stack.control.clear_faults(account["id"])
    assert call(stack, "GET", "/widget/settings", account).status_code == 200
    assert _stored(stack, account)["status"] == "active"


def test_an_old_uninstall_hook_replayed_after_a_reinstall_keeps_the_account(stack):
    account = install(stack)
    stack.control.uninstall(account["id"], stack.client_id)  # amoCRM revokes the tokens, then calls us
    gone = _uninstall_hook(stack, account)
    assert gone.status_code == 200 and gone.json()["uninstalled"] is True
    assert _stored(stack, account)["status"] == "uninstalled"

    (again,) = stack_client.install_via_oauth(stack, stack.control, account)
    assert again.status_code == 200
    replayed = _uninstall_hook(stack, account)
    assert replayed.status_code == 200 and replayed.json()["uninstalled"] is False
    item = _stored(stack, account)
    assert item["status"] == "active" and item["access_token"]
    assert call(stack, "GET", "/widget/settings", account).status_code == 200


def test_an_uninstall_hook_for_tokens_amocrm_still_accepts_changes_nothing(stack):
    account = install(stack)
    before = _stored(stack, account)
    kept = _uninstall_hook(stack, account)
    assert kept.status_code == 200 and kept.json()["uninstalled"] is False
    assert _stored(stack, account)["access_token"] == before["access_token"]
    assert _stored(stack, account)["status"] == "active"
