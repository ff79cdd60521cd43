"""Calls the widget routes of the local stack the way amoCRM's `$authorizedAjax` does (`devstack.client`)."""

from __future__ import annotations

from typing import Any

from devstack import client
from devstack.client import ADMIN_USER_ID as ADMIN  # noqa: F401 - the tests' name for it
from devstack.client import call_widget as call  # noqa: F401 - the tests' name for it
from devstack.client import widget_token as one_time_token  # noqa: F401 - the tests' name for it
from tests.integration.conftest import unique
from tests.support.rate import STACK_RATE


def install(stack, *, demo: bool = True) -> dict[str, Any]:
    """A fresh emulator account installed through the real OAuth callback."""
    account = stack.control.create_account(unique("w"), demo=demo, limits={"rate": STACK_RATE})
    (answer,) = client.install_via_oauth(stack, stack.control, account)
    assert answer.status_code == 200, answer.text
    return account


def api_requests(stack, account: dict[str, Any], since: int = 0) -> list[dict[str, Any]]:
    return client.api_requests(stack.control, account["id"], since)


def log_mark(stack, account: dict[str, Any]) -> int:
    return client.request_log_mark(stack.control, account["id"])
