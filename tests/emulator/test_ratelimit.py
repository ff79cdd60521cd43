"""7 requests per sliding second per account; 429 with the real body; block after repeated excess."""

from __future__ import annotations

import time

import httpx

from amo_emulator.control import EmulatorControl
from amo_emulator.ratelimit import LimitConfig, RateLimiter

from .conftest import connect

TOO_MANY = {
    "title": "Too Many Requests",
    "type": "https://httpstatus.es/429",
    "status": 429,
    "detail": "Too many requests",
    "retry_after": 1,
}


def _burst(api: httpx.Client, n: int) -> list[httpx.Response]:
    return [api.get("/api/v4/account") for _ in range(n)]


def test_eighth_request_in_a_second_is_429(ctl: EmulatorControl) -> None:
    conn = connect(ctl, "limited", demo=False, limits=LimitConfig().as_dict())
    started = time.monotonic()
    responses = _burst(conn.api, 8)
    assert time.monotonic() - started < 1.0, "burst too slow to test the window"
    assert [r.status_code for r in responses] == [200] * 7 + [429]
    assert responses[-1].json() == TOO_MANY
    assert responses[-1].headers["content-type"].startswith("application/problem+json")
    assert "retry-after" not in responses[-1].headers
    log = ctl.requests(conn.id)
    assert [e["rate_limited"] for e in log] == [False] * 7 + [True]
    stats = ctl.stats(conn.id)
    assert stats["rate_limited"] == 1 and stats["max_per_second"] == 8 and stats["max_per_second_accepted"] == 7


def test_window_slides(ctl: EmulatorControl) -> None:
    conn = connect(ctl, "limited", demo=False, limits={"rate": 3, "window": 0.3, "block_after": None})
    assert [r.status_code for r in _burst(conn.api, 4)] == [200, 200, 200, 429]
    time.sleep(0.35)
    assert conn.api.get("/api/v4/account").status_code == 200


def test_retry_after_header_flag_and_oauth_not_limited(ctl: EmulatorControl) -> None:
    conn = connect(ctl, "limited", demo=False, limits={"rate": 1, "block_after": None, "retry_after_header": True})
    limited = _burst(conn.api, 2)[-1]
    assert limited.status_code == 429 and limited.headers["retry-after"] == "1"
    # token refreshes are outside the API limit
    body = {
        "client_id": "dealcopy-test",
        "client_secret": "dealcopy-test-secret",
        "redirect_uri": "https://dealcopy.example/oauth/callback",
        "grant_type": "refresh_token",
        "refresh_token": conn.tokens["refresh_token"],
    }
    assert ctl.exchange(**body).status_code == 200


def test_repeated_excess_blocks_account(ctl: EmulatorControl) -> None:
    conn = connect(ctl, "limited", demo=False, limits={"rate": 1, "block_after": 2, "block_seconds": 60})
    statuses = [r.status_code for r in _burst(conn.api, 6)]
    assert statuses[:4] == [200, 429, 429, 429] and statuses[4:] == [403, 403]
    blocked = conn.api.get("/api/v4/leads")
    assert blocked.json()["detail"] == "Blocked for exceeding the request limit" and blocked.json()["status"] == 403
    assert ctl.stats(conn.id)["blocked"] == 3
    ctl.advance_clock(61)
    assert conn.api.get("/api/v4/account").status_code == 200
    other = connect(ctl, "other", demo=False, limits={"rate": 1})
    assert other.api.get("/api/v4/account").status_code == 200  # limits are per account


def test_limits_api_and_unblock(ctl: EmulatorControl) -> None:
    conn = connect(ctl, "limited", demo=False, limits={"rate": 1, "block_after": 0})
    _burst(conn.api, 3)
    assert conn.api.get("/api/v4/account").status_code == 403
    current = ctl.set_limits(conn.id, rate=100, unblock=True)
    assert current["rate"] == 100 and current["blocked_until"] is None
    assert conn.api.get("/api/v4/account").status_code == 200


def test_limiter_unit() -> None:
    limiter = RateLimiter(LimitConfig(rate=2, window=1.0, block_after=None))
    # the 429 at 0.2 still counts: at 1.05 the window holds 0.1 and 0.2
    assert [limiter.check(t) for t in (0.0, 0.1, 0.2, 1.05, 1.21, 1.3)] == [
        "ok",
        "ok",
        "limited",
        "limited",
        "ok",
        "limited",
    ]
