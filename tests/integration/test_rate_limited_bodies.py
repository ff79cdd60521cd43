"""A 429 without a JSON body (an nginx HTML page, or nothing) is handled like amoCRM's JSON 429.

amoCRM usually answers 429 with problem+json carrying `retry_after`, but the official SDK also
copes with a non-JSON 429 (facts file: Limits). Our client, over HTTP against the emulator's
`429_html` / `429_empty` faults, must treat all three alike: the request was not executed, so it is
backed off and sent again (even a create), the call then succeeds, and a Retry-After header (U)
is honoured whatever the body.
"""

from __future__ import annotations

import time

import pytest

from dealcopy.amo.counting import RequestCounter
from dealcopy.amo.errors import AmoRateLimited, AmoUnavailable
from tests.integration.amo_helpers import client
from tests.integration.conftest import unique

KINDS = ("429", "429_html", "429_empty")


@pytest.fixture
def demo(emulator):
    """A demo account of its own (fresh request log and faults) plus a token."""
    connected = emulator.control.connect(unique("rl"), client_id=unique("client"), demo=True)
    return connected["account"]["id"], connected["tokens"]["access_token"]


def _faults_seen(emulator, account_id: int) -> list[str | None]:
    return [e["fault"] for e in emulator.control.requests(account_id) if e["path"].startswith("/api/")]


@pytest.mark.parametrize("kind", KINDS)
def test_a_read_answered_429_twice_is_retried_and_then_succeeds(emulator, demo, kind):
    account_id, token = demo
    emulator.control.add_fault(account_id, kind=kind, count=2, path="/api/v4/account")
    counter = RequestCounter()
    api = client(emulator.url, token, counter=counter)

    assert api.get("/api/v4/account")["id"] == account_id
    assert _faults_seen(emulator, account_id) == [kind, kind, None]
    assert counter.by_status() == {429: 2, 200: 1}


@pytest.mark.parametrize("kind", KINDS)
def test_a_create_answered_429_is_sent_again_and_made_exactly_once(emulator, demo, kind):
    """429 means "not executed" whatever the body, so a create is safe to repeat (not ambiguous)."""
    account_id, token = demo
    emulator.control.add_fault(account_id, kind=kind, count=1, path="/api/v4/leads", method="POST")
    api = client(emulator.url, token)
    name = unique("После 429 ")

    created = api.post("/api/v4/leads", [{"name": name}])
    (lead,) = created["_embedded"]["leads"]
    assert _faults_seen(emulator, account_id) == [kind, None]
    same_name = [item for item in emulator.control.state(account_id)["leads"] if item["name"] == name]
    assert [item["id"] for item in same_name] == [lead["id"]]


@pytest.mark.parametrize("kind", KINDS)
def test_retry_after_is_waited_for_whichever_body_says_it(emulator, demo, kind):
    """JSON: `retry_after` in the body; HTML/empty: only the Retry-After header can say it."""
    account_id, token = demo
    emulator.control.set_limits(account_id, retry_after_header=True)
    emulator.control.add_fault(account_id, kind=kind, count=1, path="/api/v4/account")
    api = client(emulator.url, token)

    started = time.monotonic()
    assert api.get("/api/v4/account")["id"] == account_id
    assert time.monotonic() - started >= 1.0  # the emulator asks for 1 s
    stamps = [e["ts"] for e in emulator.control.requests(account_id) if e["path"].startswith("/api/")]
    assert len(stamps) == 2 and stamps[1] - stamps[0] >= 0.95


@pytest.mark.parametrize("kind", KINDS)
def test_endless_429s_end_in_the_same_error_after_the_same_attempts(emulator, demo, kind):
    account_id, token = demo
    emulator.control.add_fault(account_id, kind=kind, count=100, path="/api/v4/account")
    api = client(emulator.url, token, attempts=3, deadline=10)

    with pytest.raises(AmoUnavailable) as caught:
        api.get("/api/v4/account")
    assert type(caught.value) is AmoUnavailable  # not "ambiguous": a 429 was never executed
    assert caught.value.attempts == 3
    assert isinstance(caught.value.last, AmoRateLimited) and caught.value.last.status == 429
    assert _faults_seen(emulator, account_id) == [kind] * 3
