"""Sample events in events/ stay in step with the template's routes (they feed `sam local invoke`)."""

import json
from pathlib import Path

import pytest

from devstack.template import Template

EVENTS = sorted((Path(__file__).resolve().parents[2] / "events").glob("*.json"))
ROUTES = {f"{r.method} {r.path}" for r in Template().routes()}


@pytest.mark.parametrize("path", [p for p in EVENTS if p.name != "worker_sqs.json"], ids=lambda p: p.name)
def test_http_events_are_v2_and_hit_a_template_route(path):
    event = json.loads(path.read_text())
    assert event["version"] == "2.0"
    assert event["routeKey"] in ROUTES
    assert event["requestContext"]["http"]["method"] == event["routeKey"].split()[0]


def test_worker_event_is_an_sqs_fifo_batch():
    event = json.loads((EVENTS[0].parent / "worker_sqs.json").read_text())
    record = event["Records"][0]
    assert record["eventSource"] == "aws:sqs" and record["eventSourceARN"].endswith(".fifo")
    assert record["attributes"]["MessageGroupId"] == str(json.loads(record["body"])["account_id"])
