"""Rotating the client secret on the local stack, end to end.

A DP rule signed before the rotation keeps copying during the window, is refused after it with
its own answer (ru/en: open the DP action and press «Готово»), and copies again once the admin
re-saves it (the widget re-signs with the new secret). Widget calls and the uninstall hook signed with the previous
secret count during the window too; the operator's CLI lists the rules still on the old key.
The stack re-reads the secret on every use (`CLIENT_SECRET_CACHE_SECONDS=0`), as a deployed one
does within 5 minutes.
"""

from __future__ import annotations

import secrets
import time

import pytest

from dealcopy.install import uninstall_signature
from devstack.client import widget_token
from devstack.http import HTTP
from tests.dp.conftest import STACK_ENV
from tests.dp.helpers import (
    admin,
    call,
    hook_form,
    install,
    jobs,
    post_hook,
    rotate_client_secret,
    settled,
    sign,
    stage,
    wait_for,
)
from tests.support.stack import local_stack

TRIGGER = stage("Support", "Переговоры")
TARGET = {**stage("Выполнение", "В работе"), "fields": [], "catalogs": []}
SOURCES = (24_002_812, 24_002_813, 24_002_814, 24_002_815)


@pytest.fixture(scope="module")
def stack():
    env = {**STACK_ENV, "CLIENT_SECRET_CACHE_SECONDS": "0", "SECRET_ROTATION_WINDOW_DAYS": "30"}
    extra = [arg for key, value in env.items() for arg in ("--env", f"{key}={value}")]
    with local_stack("--schedule-interval", "0", *extra) as started:
        yield started


@pytest.fixture(scope="module")
def account(stack):
    installed = install(stack)
    for lead_id in SOURCES:  # a hook's lead must be in its stage
        stack.control.move_lead(installed["id"], lead_id, *TRIGGER.values())
    return installed


def _copied(stack, account, signed: dict, lead_id: int, count: int) -> dict:
    """A hook for `lead_id` with the `signed` rule is accepted and its job copies the lead."""
    answer = post_hook(stack, form=hook_form(account, lead_id, TRIGGER, signed, int(time.time())))
    assert answer.status_code == 200, answer.text
    done = wait_for(lambda: settled(stack, account, count), what="the DP job")
    job = next(j for j in done if j["job_id"] == answer.json()["job_id"])
    assert job["state"] == "done" and job["copy_id"], job
    return job


@pytest.mark.slow
def test_a_rule_signed_before_a_rotation_runs_in_the_window_is_refused_after_it_and_runs_once_re_saved(stack, account):
    old = sign(stack, account, TARGET)
    _copied(stack, account, old, SOURCES[0], 1)
    new_secret = secrets.token_urlsafe(32)

    # Rotated an hour ago: the window is open, the old rule still copies.
    rotate_client_secret(stack, new_secret, rotated_days_ago=1 / 24)
    _copied(stack, account, old, SOURCES[1], 2)
    # amoCRM signs widget calls and the uninstall hook with the secret it has: both count in the window.
    assert call(stack, "GET", "/widget/settings", account, token=widget_token(stack, account)).status_code == 200
    listed = admin(stack, "rules", "old-key", "--account", str(account["id"]))
    assert listed["previous_key_id"] == old["signature"].split(".")[0]
    assert [r["stages"] for r in listed["rules"]] == [[TRIGGER]]

    # The window is over: the same hook is refused, with words telling the admin what to do.
    rotate_client_secret(stack, new_secret, rotated_days_ago=31)
    before = len(jobs(stack, account))
    for lang, words in (("ru", "нажмите «Готово»"), ("en", "press “Done”")):
        form = hook_form(account, SOURCES[2], TRIGGER, old, int(time.time()))
        answer = post_hook(stack, form=form, headers={"Accept-Language": lang})
        assert answer.status_code == 401, answer.text
        assert answer.json()["code"] == "signature-key-retired" and words in answer.json()["detail"], answer.text
    old_token = widget_token(stack, account)  # still made with the previous secret
    assert call(stack, "GET", "/widget/settings", account, token=old_token).status_code == 401
    time.sleep(1)
    assert len(jobs(stack, account)) == before  # nothing was queued

    # The admin opens the DP action and presses «Готово»: the widget signs it again, with the new secret.
    resaved = sign(stack, account, TARGET, token=widget_token(stack, account, secret=new_secret))
    assert resaved["rule"] == old["rule"] and resaved["signature"] != old["signature"]
    _copied(stack, account, resaved, SOURCES[3], before + 1)
    assert admin(stack, "rules", "old-key", "--account", str(account["id"]))["rules"] == []
    recent = admin(stack, "jobs", "recent", str(account["id"]))
    assert {j["lead_id"] for j in recent} == {SOURCES[0], SOURCES[1], SOURCES[3]}
    assert {j["state"] for j in recent} == {"done"}


@pytest.mark.slow
def test_the_uninstall_hook_signed_with_the_previous_secret_counts_in_the_window_only(stack):
    gone = install(stack)
    previous = stack.client_secret
    rotate_client_secret(stack, secrets.token_urlsafe(32), rotated_days_ago=31)
    query = {"client_uuid": stack.client_id, "account_id": str(gone["id"])}
    signed = {**query, "signature": uninstall_signature(previous, stack.client_id, str(gone["id"]))}
    late = HTTP.get(f"{stack.gateway_url}/oauth/uninstall", params=signed, timeout=30)
    assert late.status_code == 401 and late.json()["code"] == "bad-uninstall-signature"
    rotate_client_secret(stack, secrets.token_urlsafe(32), rotated_days_ago=1)
    in_window = HTTP.get(f"{stack.gateway_url}/oauth/uninstall", params=signed, timeout=30)
    assert in_window.status_code == 200, in_window.text  # verified; amoCRM still says the tokens work
