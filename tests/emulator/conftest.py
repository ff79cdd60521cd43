"""Fixtures: one emulator server per session, a clean state and a connected demo account per test."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from amo_emulator.control import EmulatorControl
from amo_emulator.server import EmulatorServer

CLIENT_ID = "dealcopy-test"
CLIENT_SECRET = "dealcopy-test-secret"
REDIRECT_URI = "https://dealcopy.example/oauth/callback"
RELAXED = {"rate": 10_000, "block_after": None}


@pytest.fixture(scope="session")
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer() as srv:
        yield srv


@pytest.fixture
def ctl(server: EmulatorServer) -> Iterator[EmulatorControl]:
    with EmulatorControl(server.url) as control:
        control.reset()
        control.add_integration(CLIENT_ID, CLIENT_SECRET, REDIRECT_URI)
        yield control


@dataclass
class Connected:
    account: dict[str, Any]
    tokens: dict[str, Any]
    api: httpx.Client

    @property
    def id(self) -> int:
        return self.account["id"]


def connect(ctl: EmulatorControl, subdomain: str, demo: bool = True, limits: dict[str, Any] | None = None) -> Connected:
    account = ctl.create_account(subdomain, demo=demo, limits=limits or RELAXED, account_id=None)
    tokens = ctl.issue_tokens(account["id"], CLIENT_ID)
    return Connected(account, tokens, ctl.api(tokens["access_token"]))


@pytest.fixture
def demo(ctl: EmulatorControl) -> Iterator[Connected]:
    """The demo account with a token and no practical rate limit."""
    conn = connect(ctl, "demo")
    yield conn
    conn.api.close()


def errors_of(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return response.json()["validation-errors"]
