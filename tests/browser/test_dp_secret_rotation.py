"""After the client secret is rotated, opening the DP action and pressing «Готово» moves it to the new key.

Its own stack (the secret re-read on every use, as a deployed one does within minutes) and its own
harness page, so the rotation does not touch the other browser tests. The harness plays amoCRM:
once the secret is rotated it signs the widget's tokens with the new one.
"""

from __future__ import annotations

import dataclasses
import json
import secrets
from types import SimpleNamespace

import pytest

from amo_emulator.control import EmulatorControl
from amo_emulator.seed_demo import pipeline_id, status_id
from dealcopy.auth.client_secrets import key_id
from devstack.client import StackInfo
from devstack.process import stack_process
from tests.browser.conftest import WIDGET, _free_port, open_area, wait_for
from tests.dp.helpers import rotate_client_secret
from tests.support.rate import STACK_ARGS
from widget.harness.server import HarnessConfig, HarnessServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SOURCE = 24_002_811
TRIGGER = {"pipeline": pipeline_id("Воронка"), "status": status_id("Воронка", "Передать партнёру")}
PARTNERS = {"pipeline_id": pipeline_id("Партнёры"), "status_id": status_id("Партнёры", "Новая заявка")}


@pytest.fixture(scope="module")
def harness_port() -> int:
    return _free_port()


@pytest.fixture(scope="module")
def stack(harness_port):
    env = {"CLIENT_SECRET_CACHE_SECONDS": "0", "SECRET_ROTATION_WINDOW_DAYS": "30"}
    extra = [arg for key, value in env.items() for arg in ("--env", f"{key}={value}")]
    with stack_process(*STACK_ARGS, "--allow-origin", f"http://127.0.0.1:{harness_port}", *extra, timeout=90) as info:
        yield SimpleNamespace(**info, info=StackInfo.from_ready(info), control=EmulatorControl(info["emulator_url"]))


@pytest.fixture(scope="module")
def harness(stack, widget_zip, harness_port):
    if not (WIDGET / "harness" / "node_modules" / "requirejs" / "require.js").exists():
        pytest.fail("the harness libraries are missing: run `make widget-harness` (npm ci in widget/harness)")
    with HarnessServer(HarnessConfig(stack=stack.info, widget=widget_zip), port=harness_port) as server:
        yield server


def _open_dp(page, harness, account):
    open_area(page, harness, account, "dp", pipeline=TRIGGER["pipeline"], status=TRIGGER["status"])
    dialog = page.locator('[data-action="send_widget_hook"]')
    dialog.locator(".dealcopy-dp .dealcopy-form").wait_for()
    return dialog


def _save(page, dialog) -> dict:
    dialog.locator(".js-trigger-save").click()
    page.wait_for_function("window.harness.dpRegistered")  # the emulator has the action on its stage
    saved = page.evaluate("window.harness.dpSaved")
    assert saved["signature"] and not saved.get("invalid"), saved
    return saved


def test_opening_the_dp_action_and_pressing_done_re_signs_it_with_the_new_secret(page, harness, stack, account):
    dialog = _open_dp(page, harness, account)
    dialog.locator('[data-control="pipeline"]').select_option(str(PARTNERS["pipeline_id"]))
    dialog.locator('[data-control="stage"]').select_option(str(PARTNERS["status_id"]))
    page.wait_for_selector('.dealcopy-dp[data-sign-state="ok"]')
    old = _save(page, dialog)
    assert old["signature"].split(".")[0] == key_id(stack.client_secret)

    new_secret = secrets.token_urlsafe(32)
    rotate_client_secret(stack, new_secret, rotated_days_ago=1 / 24)
    amocrm_now = dataclasses.replace(stack.info, client_secret=new_secret)  # amoCRM signs with the new one
    harness.config = dataclasses.replace(harness.config, stack=amocrm_now)

    # the admin opens the action and presses «Готово» at once, changing nothing
    dialog = _open_dp(page, harness, account)
    shown = dialog.locator('input[name="signature"]').input_value()  # opening re-signs quietly (widget/src/dp.js)
    assert shown == old["signature"] or shown.split(".")[0] == key_id(new_secret)  # never cleared meanwhile
    assert dialog.locator('.dealcopy-dp [data-slot="error"]').is_hidden()  # nothing to tell the admin
    resaved = _save(page, dialog)
    assert resaved["signature"].split(".")[0] == key_id(new_secret)
    assert json.loads(resaved["rule"]) == json.loads(old["rule"])

    # the window is over: the re-saved action still copies when the deal reaches its stage
    rotate_client_secret(stack, new_secret, rotated_days_ago=31)
    before = {lead["id"] for lead in stack.control.state(account["id"])["leads"]}
    stack.control.move_lead(account["id"], SOURCE, TRIGGER["pipeline"], TRIGGER["status"])

    def the_copy():
        fresh = [lead for lead in stack.control.state(account["id"])["leads"] if lead["id"] not in before]
        return fresh[0] if fresh else None

    created = wait_for(the_copy, timeout=40, what="the DP copy in the emulator")
    copy = stack.control.lead(account["id"], created["id"])
    assert (copy["pipeline_id"], copy["status_id"]) == (PARTNERS["pipeline_id"], PARTNERS["status_id"])


def test_a_saved_rule_the_backend_now_refuses_keeps_its_pair_and_says_why(page, harness, stack, account):
    dialog = _open_dp(page, harness, account)
    page.wait_for_selector('.dealcopy-dp[data-sign-state="ok"]')
    saved = _save(page, dialog)
    # the stage the rule copies to was removed from the account since it was saved
    gone = {**json.loads(saved["rule"]), "status_id": 999_999}
    stale = {"rule": json.dumps(gone), "signature": saved["signature"]}
    key = f"harness-dp-{account['id']}-{TRIGGER['pipeline']}-{TRIGGER['status']}"
    page.evaluate("([key, value]) => window.localStorage.setItem(key, value)", [key, json.dumps(stale)])

    dialog = _open_dp(page, harness, account)
    page.wait_for_selector('.dealcopy-dp[data-sign-state="error"]')
    assert "Правило не сохранено" in dialog.locator('.dealcopy-dp [data-slot="status"]').inner_text()
    assert dialog.locator('input[name="rule"]').input_value() == stale["rule"]
    assert dialog.locator('input[name="signature"]').input_value() == stale["signature"]
