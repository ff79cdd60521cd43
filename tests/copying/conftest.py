"""Fixtures: one emulator per session, a fresh demo account, a real `AmoClient` and a `CopyEngine` per test."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from amo_emulator.control import EmulatorControl
from amo_emulator.seed_demo import USERS, pipeline_id, status_id
from amo_emulator.server import EmulatorServer
from dealcopy.amo.client import AmoClient
from dealcopy.amo.counting import RequestCounter
from dealcopy.amo.ratelimit import SlidingWindowLimiter
from dealcopy.amo.retry import RetryPolicy
from dealcopy.amo.tokens import StaticToken
from dealcopy.copying import CopyEngine, CopyRule, MetadataCache

ADMIN = USERS["Евгений Агеев"]
NOW = datetime(2025, 8, 29, 21, 30, tzinfo=UTC)  # 30.08.2025 00:30 in Moscow
_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer() as srv:
        yield srv


@pytest.fixture(scope="session")
def ctl(server: EmulatorServer) -> Iterator[EmulatorControl]:
    with EmulatorControl(server.url) as control:
        yield control


@dataclass
class Account:
    """A connected demo account with everything a copy test needs."""

    id: int
    domain: str
    ctl: EmulatorControl
    server: EmulatorServer
    api: AmoClient
    cache: MetadataCache

    def engine(self, **kwargs: Any) -> CopyEngine:
        options = {"account_domain": self.domain, "cache": self.cache, "clock": lambda: NOW, **kwargs}
        return CopyEngine(self.api, **options)

    def lead(self, lead_id: int) -> dict[str, Any]:
        return self.ctl.lead(self.id, lead_id)

    def mark(self) -> int:
        """The request log position now; `requests(since=mark)` shows what came after."""
        entries = self.ctl.requests(self.id)
        return entries[-1]["seq"] if entries else 0

    def requests(self, since: int = 0) -> list[dict[str, Any]]:
        return [e for e in self.ctl.requests(self.id, since) if e["path"].startswith("/api/")]

    def calls(self, since: int = 0) -> list[str]:
        return [e["template"] for e in self.requests(since)]

    @property
    def emulated(self) -> Any:
        """The emulator's in-memory account (tests change what the control API cannot)."""
        return self.server.state.accounts[self.id]


@pytest.fixture
def account(server: EmulatorServer, ctl: EmulatorControl) -> Iterator[Account]:
    """A fresh demo account (same entity ids as every demo account) without a practical rate limit."""
    n = next(_numbers)
    conn = ctl.connect(f"copy{n}", f"copy-client-{n}", demo=True, limits={"rate": 10_000, "block_after": None})
    http = httpx.Client(timeout=10)
    api = AmoClient(
        server.url,
        StaticToken(conn["tokens"]["access_token"]),
        limiter=SlidingWindowLimiter(rate=1_000),
        account_key=str(conn["account"]["id"]),
        http=http,
        policy=RetryPolicy(max_attempts=2, base=0.01, deadline=10),
        counter=RequestCounter(),
    )
    yield Account(conn["account"]["id"], conn["account"]["domain"], ctl, server, api, MetadataCache())
    http.close()


def rule(pipeline: str = "Воронка", stage: str = "Принимают решение", **options: Any) -> CopyRule:
    return CopyRule(pipeline_id=pipeline_id(pipeline), status_id=status_id(pipeline, stage), **options)


def without_notes(lead: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in lead.items() if k != "notes"}


def field_values(lead: dict[str, Any]) -> dict[int, list[dict[str, Any]]]:
    return {f["field_id"]: f["values"] for f in lead.get("custom_fields_values") or []}


def links_of(lead: dict[str, Any], to_type: str) -> list[dict[str, Any]]:
    return [ln for ln in lead["links"] if ln["to_entity_type"] == to_type]
