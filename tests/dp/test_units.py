"""Fast checks of the pure parts: hook parsing, signing, reconciliation matching, the template's settings."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from dealcopy.copying import reconcile
from dealcopy.copying.plan import CopiedSummary, CopyPlan
from dealcopy.copying.rules import canonical_rule, parse_rule, rule_hash
from dealcopy.dp.errors import HookMalformed, HookRejected, HookUnsupported
from dealcopy.dp.hook import parse_form, parse_hook
from dealcopy.dp.signing import sign, verified_rule
from dealcopy.records.job import JobMessage, JobRef, dp_job_id
from devstack.scheduler import rate_seconds, schedules
from devstack.template import Template

FORM = {
    "event[type]": "15",
    "event[type_code]": "lead_appeared_in_status",
    "event[data][id]": "24002811",
    "event[data][element_type]": "2",
    "event[data][status_id]": "71000104",
    "event[data][pipeline_id]": "8000001",
    "event[data][direction_of_movement]": "went_to_trigger",
    "event[time]": "1795774500",
    "action[settings][widget][settings][rule]": '{"a":1}',
    "action[settings][widget][settings][signature]": "ab" * 32,
    "subdomain": "demo",
    "account_id": "30000001",
}


def test_form_and_json_hooks_parse_to_the_same_hook():
    form = parse_hook(urlencode(FORM), "application/x-www-form-urlencoded")
    as_json = parse_hook(
        json.dumps(
            {
                "event": {
                    "type": 15,
                    "type_code": "lead_appeared_in_status",
                    "data": {"id": 24002811, "element_type": 2, "status_id": 71000104, "pipeline_id": 8000001},
                    "time": 1795774500,
                },
                "action": {"settings": {"widget": {"settings": {"rule": '{"a":1}', "signature": "ab" * 32}}}},
                "subdomain": "demo",
                "account_id": 30000001,
            }
        ),
        "application/json; charset=utf-8",
    )
    assert form == as_json
    assert (form.account_id, form.lead_id, form.pipeline_id, form.status_id, form.event_time) == (
        30000001,
        24002811,
        8000001,
        71000104,
        1795774500,
    )
    # no content type at all: the body decides
    assert parse_hook(urlencode(FORM), None) == form


def test_php_bracket_keys_nest_and_append():
    assert parse_form("a[b][c]=1&a[d][]=x&a[d][]=y&e=2") == {
        "a": {"b": {"c": "1"}, "d": {"0": "x", "1": "y"}},
        "e": "2",
    }


@pytest.mark.parametrize(
    ("change", "kind", "code"),
    [
        ({"event[data][id]": ""}, HookMalformed, "bad-hook"),
        ({"event[data][id]": "12.5"}, HookMalformed, "bad-hook"),
        ({"event[time]": "yesterday"}, HookMalformed, "bad-hook"),
        ({"account_id": "-5"}, HookMalformed, "bad-hook"),
        ({"event[data][element_type]": "12"}, HookUnsupported, "unsupported-entity"),
    ],
)
def test_bad_hooks_are_refused_with_a_reason(change, kind, code):
    with pytest.raises(HookRejected) as caught:
        parse_hook(urlencode({**FORM, **change}), "application/x-www-form-urlencoded")
    assert type(caught.value) is kind and caught.value.code == code
    assert caught.value.message("ru") != caught.value.message("en")
    assert "?" not in caught.value.message("ru") + caught.value.message("en")  # every placeholder filled


@pytest.mark.parametrize("body", ["", "   ", "{not json", "[1,2]"])
def test_unreadable_bodies_are_400(body):
    with pytest.raises(HookMalformed):
        parse_hook(body, "application/json")


def test_signatures_are_per_account_and_survive_html_escaping():
    canonical = canonical_rule(parse_rule({"pipeline_id": 1, "status_id": 2, "name_template": "Копия «{name}»"}))
    assert canonical.isascii() and '"name_template":"\\u041a' in canonical
    signature = sign("secret", 7, canonical)
    assert verified_rule("secret", 7, canonical, signature) == canonical
    assert verified_rule("secret", 7, canonical, signature.upper()) == canonical
    assert verified_rule("secret", 8, canonical, signature) is None  # another account
    assert verified_rule("other", 7, canonical, signature) is None  # another secret
    escaped = canonical.replace('"', "&quot;")
    assert verified_rule("secret", 7, escaped, signature) == canonical
    assert rule_hash(canonical) == rule_hash(canonical) and len(rule_hash(canonical)) == 16


def test_hook_and_catch_up_compute_the_same_job_and_dedup_id():
    job = dp_job_id(30000001, 24002811, 8000001, 71000104, 1795774500, "abc")
    assert job == dp_job_id(30000001, 24002811, 8000001, 71000104, 1795774500, "abc")
    assert job != dp_job_id(30000001, 24002811, 8000001, 71000104, 1795774501, "abc")
    message = JobMessage(account_id=1, trigger="dp", rule="{}", rule_hash="abc", jobs=[JobRef(job_id=job, lead_id=1)])
    assert message.dedup_id() == job and len(job) <= 128


def _plan(request_id: str, **payload) -> CopyPlan:
    base = {"name": "Сделка", "pipeline_id": 1, "status_id": 2, "responsible_user_id": 3}
    return CopyPlan(
        request_id=request_id, source_id=9, actor_user_id=3, payload={**base, **payload}, copied=CopiedSummary()
    )


def _lead(lead_id: int, **fields) -> dict:
    base = {"name": "Сделка", "pipeline_id": 1, "status_id": 2, "responsible_user_id": 3, "price": 0}
    return {"id": lead_id, **base, **fields}


def test_reconcile_adopts_the_matching_unclaimed_lead_once():
    plans = [
        _plan("a", price=100, _embedded={"contacts": [{"id": 5, "is_main": True}]}),
        _plan("b", price=100, _embedded={"contacts": [{"id": 6, "is_main": True}]}),
        _plan("c", name="Другая"),
    ]
    candidates = [
        _lead(10, price=100, _embedded={"contacts": [{"id": 5}], "companies": []}),  # claimed by another copy
        _lead(11, price=100, _embedded={"contacts": [{"id": 5}], "companies": []}),
        _lead(12, price=100, _embedded={"contacts": [{"id": 6}], "companies": []}),
        _lead(13, price=999, _embedded={"contacts": [{"id": 6}], "companies": []}),
    ]
    assert reconcile.assign(plans, candidates, claimed={10}) == {"a": 11, "b": 12}


def test_reconcile_tolerates_fields_amocrm_dropped_but_not_foreign_ones():
    plan = _plan("a", custom_fields_values=[{"field_id": 1, "values": [{"value": "x"}]}, {"field_id": 2, "values": []}])
    assert reconcile.matches(plan, _lead(1, custom_fields_values=[{"field_id": 1, "values": [{"value": "x"}]}]))
    assert reconcile.matches(plan, _lead(1, custom_fields_values=None))
    assert not reconcile.matches(plan, _lead(1, custom_fields_values=[{"field_id": 3, "values": [{"value": "x"}]}]))


def test_reconcile_search_uses_documented_filters_one_stage_per_request():
    plans = [_plan("a"), _plan("b", status_id=4), _plan("c", status_id=4)]
    assert reconcile.stages_of(plans) == [(1, 2), (1, 4)]
    params = reconcile.search_params((1, 4), since=1000.7)
    assert params["filter[created_at][from]"] == 1000 - reconcile.CLOCK_SKEW
    assert params["filter[statuses][0][pipeline_id]"] == 1 and params["filter[statuses][0][status_id]"] == 4
    assert not any(key.startswith("filter[statuses][1]") for key in params)
    assert params["with"] == "contacts"


def test_job_attempts_equal_the_queues_max_receive_count():
    template = Template()
    redrive = template.resources["CopyJobsQueue"]["Properties"]["RedrivePolicy"]
    worker_env = template.resources["WorkerFunction"]["Properties"]["Environment"]["Variables"]
    assert int(worker_env["JOB_MAX_ATTEMPTS"]) == int(redrive["maxReceiveCount"])
    assert worker_env["COPY_DLQ_URL"] == {"Ref": "CopyJobsDeadLetterQueue"}


def test_every_widget_route_has_a_preflight_and_the_catch_up_a_schedule():
    routes = Template().routes()
    widget = {r.path for r in routes if r.path.startswith(("/widget/", "/copies"))}
    preflights = {r.path for r in routes if r.method == "OPTIONS"}
    assert widget <= preflights, widget - preflights
    assert {"/widget/dp/sign", "/widget/activity", "/copies/bulk", "/copies/bulk/{batch_id}"} <= widget
    assert schedules(Template()) == {"CatchUpFunction": 300, "KeepAliveFunction": 3600}
    assert rate_seconds("rate(1 hour)") == 3600


def test_worker_role_may_send_to_the_dlq_and_nothing_has_wildcard_resources():
    template = Template()
    statements = template.resources["WorkerRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    dlq = [s for s in statements if s["Resource"] == {"Fn::GetAtt": ["CopyJobsDeadLetterQueue", "Arn"]}]
    assert dlq and dlq[0]["Action"] == ["sqs:SendMessage"]
    for name, fn in template.of_type("AWS::Serverless::Function").items():
        for policy in fn["Properties"].get("Policies") or []:
            for statement in policy.get("Statement", []):
                assert statement["Resource"] != "*", name
