"""Digital Pipeline triggers of the emulator: the hook amoCRM posts when a lead enters a stage."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

import pytest

from amo_emulator.seed_demo import MANUAL_LEAD_ID, pipeline_id, status_id

PAID = {"pipeline_id": pipeline_id("Воронка"), "status_id": status_id("Воронка", "Оплачен счёт")}


class Receiver:
    """A tiny HTTP server that records what it is sent (our stand-in for /dp/hook)."""

    def __init__(self, status: int = 200) -> None:
        self.got: list[tuple[str, str]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                receiver.got.append((self.headers["Content-Type"], body))
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/dp/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait(self, count: int, timeout: float = 5) -> list[tuple[str, str]]:
        give_up = time.monotonic() + timeout
        while len(self.got) < count and time.monotonic() < give_up:
            time.sleep(0.02)
        return self.got


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.server.shutdown()


def test_moving_a_lead_into_a_trigger_stage_posts_the_documented_hook_form_encoded(ctl, demo, receiver):
    ctl.add_dp_trigger(demo.id, **PAID, url=receiver.url, settings={"rule": '{"a":"б"}', "signature": "s1"})
    moved = ctl.move_lead(demo.id, MANUAL_LEAD_ID, *PAID.values())
    assert (moved["pipeline_id"], moved["status_id"]) == tuple(PAID.values())
    ((content_type, body),) = receiver.wait(1)
    assert content_type == "application/x-www-form-urlencoded"
    form = dict(parse_qsl(body))
    # the docs: a lead entering the action's stage is event 14
    assert form["event[type]"] == "14" and form["event[type_code]"] == "lead_status_changed"
    assert form["event[data][id]"] == str(MANUAL_LEAD_ID) and form["event[data][element_type]"] == "2"
    assert (form["event[data][pipeline_id]"], form["event[data][status_id]"]) == tuple(map(str, PAID.values()))
    assert form["action[settings][widget][settings][rule]"] == '{"a":"б"}'
    assert form["account_id"] == str(demo.id) and form["subdomain"] == demo.account["subdomain"]
    # the hook's time is the time of the event the events API reports
    events = demo.api.get("/api/v4/events", params={"filter[type]": "lead_status_changed"}).json()
    assert int(form["event[time]"]) == events["_embedded"]["events"][0]["created_at"]
    (hook,) = ctl.dp_hooks(demo.id)
    assert hook["lead_id"] == MANUAL_LEAD_ID and hook["status_code"] == 200 and not hook["dropped"]


def test_json_hooks_lost_hooks_and_leads_created_in_the_stage(ctl, demo, receiver):
    (trigger,) = ctl.add_dp_trigger(
        demo.id, **PAID, url=receiver.url, settings={"rule": "r"}, encoding="json", drop_next=1
    )
    ctl.move_lead(demo.id, MANUAL_LEAD_ID, *PAID.values())  # lost
    created = demo.api.post("/api/v4/leads", json=[{"name": "Новая", **PAID}]).json()
    new_id = created["_embedded"]["leads"][0]["id"]
    ((content_type, body),) = receiver.wait(1)
    assert content_type == "application/json"
    hook = json.loads(body)
    assert hook["event"]["data"]["id"] == new_id and hook["action"]["settings"]["widget"]["settings"] == {"rule": "r"}
    assert [(h["lead_id"], h["dropped"]) for h in ctl.dp_hooks(demo.id)] == [(MANUAL_LEAD_ID, True), (new_id, False)]
    assert ctl.update_dp_trigger(demo.id, trigger["id"], drop_next=0)[0]["drop_next"] == 0
    # a lead moved into another stage fires nothing
    ctl.move_lead(demo.id, 24_002_812, pipeline_id("Support"), status_id("Support", "Решено"))
    time.sleep(0.2)
    assert len(receiver.got) == 1


def test_one_action_per_stage_and_clearing(ctl, demo, receiver):
    ctl.add_dp_trigger(demo.id, **PAID, url=receiver.url, settings={"rule": "old"})
    triggers = ctl.add_dp_trigger(demo.id, **PAID, url=receiver.url, settings={"rule": "new"})
    assert [t["settings"] for t in triggers] == [{"rule": "new"}]
    ctl.clear_dp_triggers(demo.id)
    ctl.move_lead(demo.id, MANUAL_LEAD_ID, *PAID.values())
    time.sleep(0.2)
    assert receiver.got == [] and ctl.dp_hooks(demo.id) == []


def test_faults_can_target_one_exact_path(ctl, demo):
    ctl.add_fault(demo.id, kind="500", count=5, method="POST", path="/api/v4/leads")
    note = [{"entity_id": MANUAL_LEAD_ID, "note_type": "common", "params": {"text": "x"}}]
    assert demo.api.post("/api/v4/leads/notes", json=note).status_code == 200  # not the exact path
    assert demo.api.post("/api/v4/leads", json=[{"name": "x"}]).status_code == 500


@pytest.mark.parametrize(("event_type", "code"), [(1, "lead_added"), (15, "lead_appeared_in_status")])
def test_a_trigger_can_send_the_other_documented_event_types(ctl, demo, receiver, event_type, code):
    ctl.add_dp_trigger(demo.id, **PAID, url=receiver.url, settings={"rule": "r"}, event_type=event_type)
    ctl.move_lead(demo.id, MANUAL_LEAD_ID, *PAID.values())
    ((_, body),) = receiver.wait(1)
    form = dict(parse_qsl(body))
    assert (form["event[type]"], form["event[type_code]"]) == (str(event_type), code)
