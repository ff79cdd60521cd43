"""Hosts as amoCRM has them: the account's own host from the referer, never the token's
shared `api_domain`; renamed subdomains followed; DP hooks of every event type, with or without a time.

Over the local stack: the layer builds real URLs (`https://{subdomain}.amocrm.ru/...`) and the
loopback transport brings them to the emulator with the real `Host`, so the emulator answers per
host and its request log shows which host every request addressed.
"""

from __future__ import annotations

import time
import uuid

import httpx
import jwt
import pytest

from amo_emulator.seed_demo import FIELD, pipeline_id, status_id
from dealcopy.amo.loopback import LoopbackTransport
from dealcopy.amo.oauth import OAuthClient
from dealcopy.amo.tokens import TokenProvider
from dealcopy.hosts import relocating_refresher
from dealcopy.storage.accounts import AccountRepository
from dealcopy.storage.tokens import DynamoTokenProvider
from devstack.client import dp_hook_form, post_dp_hook
from tests.dp.helpers import jobs, settled, sign, wait_for
from tests.integration.conftest import unique
from tests.integration.widget_helpers import call, install

SOURCE = 24002811  # the manual's deal
SUPPORT = {"pipeline_id": pipeline_id("Support"), "status_id": status_id("Support", "Переговоры")}
LINKED = {**SUPPORT, "source_link_field_id": FIELD["ТЕЛЕМОСТ"], "fields": [FIELD["ТЕЛЕМОСТ"]], "catalogs": []}
TRIGGER = {"pipeline_id": pipeline_id("Воронка"), "status_id": status_id("Воронка", "Оплачен счёт")}
TARGET = {"pipeline_id": pipeline_id("Выполнение"), "status_id": status_id("Выполнение", "В работе")}
SHARED = "api-b.amocrm.ru"
LOOKUP = "/oauth2/account/current/subdomain"


def _stored(stack, account_id):
    return stack.table("AccountsTable").get_item(Key={"account_id": account_id}, ConsistentRead=True)["Item"]


def _copy(stack, account):
    payload = {"lead_id": SOURCE, "idempotency_key": str(uuid.uuid4()), "rule": LINKED}
    answer = call(stack, "POST", "/copies", account, json=payload)
    assert answer.status_code == 201, answer.text
    return answer.json()


def _links_say(stack, account, copy_id: int, host: str) -> None:
    """Notes on both deals and the copy's source-link field point at `host`, and nothing names the shared host."""
    source, copy = (stack.control.lead(account["id"], lead_id) for lead_id in (SOURCE, copy_id))
    assert source["notes"][-1]["params"]["text"].endswith(f"https://{host}/leads/detail/{copy_id}")
    assert copy["notes"][-1]["params"]["text"].endswith(f"https://{host}/leads/detail/{SOURCE}")
    link = next(f for f in copy["custom_fields_values"] if f["field_id"] == FIELD["ТЕЛЕМОСТ"])
    assert link["values"] == [{"value": f"https://{host}/leads/detail/{SOURCE}"}]
    assert SHARED not in str(source) + str(copy)


def test_install_stores_the_referer_host_and_every_link_and_request_uses_it(stack):
    account = install(stack)
    host = f"{account['subdomain']}.amocrm.ru"
    item = _stored(stack, account["id"])
    claims = jwt.decode(item["access_token"], options={"verify_signature": False})
    assert (claims["api_domain"], claims["base_domain"]) == (SHARED, "amocrm.ru")  # as amoCRM issues them
    assert (item["domain"], item["subdomain"]) == (host, account["subdomain"])
    result = _copy(stack, account)
    assert result["url"] == f"https://{host}/leads/detail/{result['lead_id']}"
    _links_say(stack, account, result["lead_id"], host)
    log = stack.control.requests(account["id"])
    assert log and {entry["host"] for entry in log} == {host}  # the exchange, the API calls: never api-b


def test_an_account_stored_with_the_shared_host_is_repaired_on_read(stack):
    account = install(stack)
    host = f"{account['subdomain']}.amocrm.ru"
    stack.table("AccountsTable").update_item(
        Key={"account_id": account["id"]},
        UpdateExpression="SET #d = :shared",
        ExpressionAttributeNames={"#d": "domain"},
        ExpressionAttributeValues={":shared": SHARED},
    )
    assert AccountRepository(stack.table("AccountsTable")).get(account["id"]).domain == host
    settings = call(stack, "GET", "/widget/settings", account)
    assert settings.status_code == 200 and settings.json()["account"]["domain"] == host
    result = _copy(stack, account)
    _links_say(stack, account, result["lead_id"], host)


def test_a_renamed_account_keeps_working_through_the_widget_and_dp_hooks(stack):
    account = install(stack)
    signed = sign(stack, account, {**TARGET, "fields": [], "catalogs": []})
    renamed = stack.control.rename_account(account["id"], unique("renamed"))
    new_host = renamed["domain"]
    # the next widget call carries a one-time token of the new subdomain: the stored host follows
    result = _copy(stack, renamed)
    assert _stored(stack, account["id"])["domain"] == new_host
    assert result["url"] == f"https://{new_host}/leads/detail/{result['lead_id']}"
    _links_say(stack, account, result["lead_id"], new_host)
    # rename again: a DP hook with the newer subdomain (signature verified for the account id) is followed too
    newer = stack.control.rename_account(account["id"], unique("again"))
    before = len(jobs(stack, account))
    stack.control.move_lead(account["id"], 24002812, *TRIGGER.values())  # the hook's lead is in its stage
    answer = post_dp_hook(stack, form=dp_hook_form(newer, 24002812, TRIGGER, signed, int(time.time())))
    assert answer.status_code == 200, answer.text
    done = wait_for(lambda: settled(stack, account, before + 1), what="the DP copy")
    job = next(j for j in done if j["job_id"] == answer.json()["job_id"])
    assert job["state"] == "done", job
    assert _stored(stack, account["id"])["domain"] == newer["domain"]
    copy = stack.control.lead(account["id"], int(job["copy_id"]))
    assert copy["notes"][-1]["params"]["text"].endswith(f"https://{newer['domain']}/leads/detail/24002812")


@pytest.mark.parametrize("event", ["1", "14", "15", "no time"])
def test_dp_hooks_of_every_event_type_and_without_time_make_exactly_one_copy(stack, event):
    account = install(stack)
    signed = sign(stack, account, {**TARGET, "fields": [], "catalogs": []})
    stack.control.move_lead(account["id"], 24002813, *TRIGGER.values())  # the hook's lead is in its stage
    form = dp_hook_form(account, 24002813, TRIGGER, signed, int(time.time()))
    codes = {"1": "lead_added", "14": "lead_status_changed", "15": "lead_appeared_in_status"}
    if event == "no time":
        form.pop("event[time]")
    else:
        form["event[type]"], form["event[type_code]"] = event, codes[event]
    answer = post_dp_hook(stack, form=form)
    assert answer.status_code == 200, answer.text
    again = post_dp_hook(stack, form=form)  # amoCRM may repeat a hook: still one copy
    assert again.status_code == 200, again.text
    done = wait_for(lambda: settled(stack, account, 1), what="the DP copy")
    stack.idle()  # the repeated hook has been handled too
    copies = [j for j in jobs(stack, account) if j.get("copy_id")]
    assert [j["state"] for j in done if j.get("copy_id")] == ["done"] and len(copies) == 1


def test_a_refresh_at_a_dead_host_finds_the_account_by_the_sdks_lookup(emulator, tables):
    """The worker's path: the stored host stopped answering (404) -> lookup on the shared host -> refresh there."""
    ctl = emulator.control
    client_id = unique("relocate")
    ctl.add_integration(client_id, "secret", "https://api.example.test/oauth/callback")
    account = ctl.create_account(unique("old"))
    grant = ctl.install(account["id"], client_id)
    http = httpx.Client(transport=LoopbackTransport(emulator.url), timeout=10)
    oauth = OAuthClient(client_id, "secret", "https://api.example.test/oauth/callback", http=http)
    pair = oauth.exchange_code(f"https://{grant['referer']}", grant["code"])
    repo = AccountRepository(tables.table("AccountsTable"))
    repo.record_install(
        account_id=account["id"], subdomain=account["subdomain"], domain=account["domain"], tokens=pair, trial_days=14
    )
    renamed = ctl.rename_account(account["id"], unique("new"))
    mark = ctl.requests(account["id"])[-1]["seq"]
    refresher = relocating_refresher(
        lambda: oauth, repo, account["id"], lambda domain: f"https://{domain}", ["amocrm.ru"]
    )
    provider: TokenProvider = DynamoTokenProvider(repo, account["id"], refresher)
    fresh = provider.refreshed_after(pair.access_token)
    assert fresh != pair.access_token
    assert repo.get(account["id"], consistent=True).domain == renamed["domain"]
    after = [(e["host"], e["path"], e["status"]) for e in ctl.requests(account["id"], mark)]
    assert after == [(SHARED, LOOKUP, 200), (renamed["domain"], "/oauth2/access_token", 200)]
    http.close()
