"""Injected faults: counted kinds, path/method filters, slow/timeout, after-commit, random rate."""

from __future__ import annotations

import time

import httpx
import pytest

from amo_emulator.control import EmulatorControl

from .conftest import Connected


def test_counted_status_faults(demo: Connected, ctl: EmulatorControl) -> None:
    ctl.add_fault(demo.id, kind="500", count=1)
    ctl.add_fault(demo.id, kind="502", count=1)
    ctl.add_fault(demo.id, kind="503", count=1)
    ctl.add_fault(demo.id, kind="504", count=1)
    ctl.add_fault(demo.id, kind="429", count=1)
    responses = [demo.api.get("/api/v4/account") for _ in range(6)]
    assert [r.status_code for r in responses] == [500, 502, 503, 504, 429, 200]
    assert responses[0].json()["trace_id"] and responses[0].json()["title"] == "Internal Server Error"
    assert responses[1].headers["content-type"].startswith("text/html")
    assert responses[3].headers["content-type"].startswith("application/problem+json")
    assert responses[4].json()["retry_after"] == 1
    log = ctl.requests(demo.id)
    assert [e["fault"] for e in log] == ["500", "502", "503", "504", "429", None]
    assert ctl.stats(demo.id)["faults"] == 5


def test_faulted_write_has_no_side_effect(demo: Connected, ctl: EmulatorControl) -> None:
    ctl.add_fault(demo.id, kind="504", count=1, path_prefix="/api/v4/leads", method="POST")
    assert demo.api.get("/api/v4/leads/24002811").status_code == 200  # GET does not match
    assert demo.api.post("/api/v4/leads", json=[{"name": "Потеряшка"}]).status_code == 504
    assert demo.api.get("/api/v4/leads", params={"filter[name]": "Потеряшка"}).status_code == 204
    assert demo.api.post("/api/v4/leads", json=[{"name": "Потеряшка"}]).status_code == 200


@pytest.mark.parametrize(("kind", "status"), [("500_after_commit", 500), ("504_after_commit", 504)])
def test_after_commit_faults_write_then_fail(demo: Connected, ctl: EmulatorControl, kind: str, status: int) -> None:
    ctl.add_fault(demo.id, kind=kind, count=1)
    assert demo.api.post("/api/v4/leads", json=[{"name": "Дубль"}]).status_code == status
    found = demo.api.get("/api/v4/leads", params={"filter[name]": "Дубль"}).json()["_embedded"]["leads"]
    assert len(found) == 1


def test_slow_and_timeout(demo: Connected, ctl: EmulatorControl) -> None:
    ctl.add_fault(demo.id, kind="slow", count=1, delay=0.3)
    started = time.monotonic()
    assert demo.api.get("/api/v4/account").status_code == 200
    assert time.monotonic() - started >= 0.3
    ctl.add_fault(demo.id, kind="timeout", count=1, delay=0.6)
    with pytest.raises(httpx.ReadTimeout):
        demo.api.get("/api/v4/account", timeout=0.2)
    time.sleep(0.5)
    assert demo.api.get("/api/v4/account").status_code == 200
    assert [e["fault"] for e in ctl.requests(demo.id)] == ["slow", "timeout", None]


def test_permanent_403_until_cleared(demo: Connected, ctl: EmulatorControl) -> None:
    ctl.add_fault(demo.id, kind="403", count=1)
    assert [demo.api.get("/api/v4/account").status_code for _ in range(3)] == [403, 403, 403]
    ctl.clear_faults(demo.id)
    assert demo.api.get("/api/v4/account").status_code == 200


def test_random_rate_is_seeded(demo: Connected, ctl: EmulatorControl) -> None:
    def run() -> list[int]:
        ctl.clear_faults(demo.id)
        ctl.add_fault(demo.id, rate=0.4, kinds=["429", "500", "504"], seed=123)
        return [demo.api.get("/api/v4/account").status_code for _ in range(30)]

    first, second = run(), run()
    assert first == second
    assert 200 in first and set(first) - {200} and set(first) <= {200, 429, 500, 504}
    ctl.clear_faults(demo.id)
    ctl.add_fault(demo.id, rate=1.0, kinds=["503"], seed=1)
    assert demo.api.get("/api/v4/account").status_code == 503
    ctl.clear_faults(demo.id)
    assert demo.api.get("/api/v4/account").status_code == 200


def test_faults_skip_control_api_and_oauth_needs_explicit_prefix(demo: Connected, ctl: EmulatorControl) -> None:
    ctl.add_fault(demo.id, rate=1.0, kinds=["500"], seed=1)
    assert ctl.stats(demo.id)["total"] == 0  # control calls are neither faulted nor logged
    body = {
        "client_id": "dealcopy-test",
        "client_secret": "dealcopy-test-secret",
        "redirect_uri": "https://dealcopy.example/oauth/callback",
        "grant_type": "refresh_token",
        "refresh_token": demo.tokens["refresh_token"],
    }
    refreshed = ctl.exchange(**body)
    assert refreshed.status_code == 200
    ctl.clear_faults(demo.id)
    ctl.add_fault(demo.id, kind="504_after_commit", count=1, path_prefix="/oauth2/")
    lost = ctl.exchange(**(body | {"refresh_token": refreshed.json()["refresh_token"]}))
    assert lost.status_code == 504
    # the refresh did happen: the token we sent was consumed and a new pair exists that we never saw
    assert ctl.stats(demo.id)["refreshes"] == 1


def test_unknown_fault_kind_is_rejected(demo: Connected, ctl: EmulatorControl) -> None:
    with pytest.raises(RuntimeError):
        ctl.add_fault(demo.id, kind="418", count=1)
