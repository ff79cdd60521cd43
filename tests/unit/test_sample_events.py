"""Sample events in events/ stay in step with the template's routes (they feed `sam local invoke`)."""

import json
from pathlib import Path

import pytest

from devstack.template import Template

EVENTS = sorted((Path(__file__).resolve().parents[2] / "events").glob("*.json"))
ROUTES = {f"{r.method} {r.path}" for r in Template().routes()}
NOT_HTTP = {"worker_sqs.json", "catchup_schedule.json"}


@pytest.mark.parametrize("path", [p for p in EVENTS if p.name not in NOT_HTTP], ids=lambda p: p.name)
def test_http_events_are_v2_and_hit_a_template_route(path):
    event = json.loads(path.read_text())
    assert event["version"] == "2.0"
    assert event["routeKey"] in ROUTES
    assert event["requestContext"]["http"]["method"] == event["routeKey"].split()[0]


def test_worker_event_is_an_sqs_fifo_batch():
    from dealcopy.records.job import JobMessage

    event = json.loads((EVENTS[0].parent / "worker_sqs.json").read_text())
    for record in event["Records"]:
        assert record["eventSource"] == "aws:sqs" and record["eventSourceARN"].endswith(".fifo")
        assert record["attributes"]["MessageGroupId"] == str(json.loads(record["body"])["account_id"])
        message = JobMessage.from_json(record["body"])  # what the worker reads
        assert record["attributes"]["MessageDeduplicationId"] == message.dedup_id()


def test_catch_up_event_is_an_eventbridge_schedule_of_a_scheduled_function():
    from devstack.scheduler import schedules

    event = json.loads((EVENTS[0].parent / "catchup_schedule.json").read_text())
    assert event["source"] == "aws.events" and event["detail-type"] == "Scheduled Event"
    assert "CatchUpFunction" in schedules(Template())


def test_dp_hook_samples_are_signed_for_the_sample_secret():
    from dealcopy.dp.hook import parse_hook
    from dealcopy.dp.signing import verified_rule
    from tools.sample_events import SAMPLE_CLIENT_SECRET

    for name in ("dp_hook_form.json", "dp_hook_json.json"):
        event = json.loads((EVENTS[0].parent / name).read_text())
        hook = parse_hook(event["body"], event["headers"]["content-type"])
        assert verified_rule(SAMPLE_CLIENT_SECRET, hook.account_id, hook.rule, hook.signature) == hook.rule
