"""Property-based tests with random and adversarial inputs; nothing but our typed errors.

Fixed seed (`derandomize=True`) and bounded examples, so `make test` runs them quickly and the
same way every time. The one-time-token verifier is fuzzed in `tests/unit/test_one_time_token.py`
(`test_any_header_is_a_caller_or_token_rejected`); here: the DP hook parser, the rule parser, the
DP and uninstall signature checks, and the HTTP entry of every public function (its
`lambda_handler` with random API Gateway events, in-process with moto), which must never answer 5xx.
"""

from __future__ import annotations

import base64
import contextlib
import html
import json
import os
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dealcopy.copying.errors import CopyError
from dealcopy.copying.rules import parse_rule
from dealcopy.dp.errors import HookRejected
from dealcopy.dp.hook import parse_hook
from dealcopy.dp.signing import sign, verified_rule
from dealcopy.install import UninstallRejected, verify_uninstall
from devstack.functions import FunctionRegistry
from devstack.lambda_context import LocalContext
from tests.support.aws import mocked_aws

SECRET = "fuzz-secret"
FIELDS = ["account_id", "subdomain", "event", "data", "id", "element_type", "pipeline_id", "status_id", "time"]
FIELDS += ["action", "settings", "widget", "rule", "signature", "type_code", "account", ""]
nasty_text = st.one_of(
    st.text(max_size=80),
    st.sampled_from(["١٢٣", "9" * 30, "-1", "1e400", "NaN", "\udcff", "[" * 3000, "{}", "null", "é" * 64]),
)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), nasty_text)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(FIELDS), inner, max_size=5)),
    max_leaves=25,
)
form_keys = st.lists(st.sampled_from(FIELDS), min_size=1, max_size=5).map(
    lambda p: p[0] + "".join(f"[{x}]" for x in p[1:])
)
form_bodies = st.dictionaries(form_keys, nasty_text, max_size=8).map(
    lambda d: "&".join(f"{k}={v}" for k, v in d.items())
)
hook_bodies = st.one_of(
    nasty_text,
    form_bodies,
    json_values.map(lambda v: json.dumps(v, allow_nan=True)),
    st.just("[" * 5000 + "]" * 5000),
)
content_types = st.sampled_from([None, "", "application/json", "application/x-www-form-urlencoded", "text/plain"])
FUZZ = settings(max_examples=150)


@FUZZ
@given(hook_bodies, content_types)
def test_the_hook_parser_raises_only_hook_rejections(body, content_type):
    with contextlib.suppress(HookRejected):
        hook = parse_hook(body, content_type)
        assert 1 <= hook.account_id <= 2**53 and 1 <= hook.lead_id <= 2**53


@FUZZ
@given(st.one_of(json_values, nasty_text, json_values.map(json.dumps), st.just("[" * 5000 + "]" * 5000)))
def test_the_rule_parser_raises_only_rule_problems(raw):
    data = raw if isinstance(raw, (str, dict)) else json.dumps(raw)
    with contextlib.suppress(CopyError):
        parse_rule(data)


@FUZZ
@given(st.integers(-(2**70), 2**70), nasty_text, nasty_text)
def test_the_dp_signature_check_never_raises(account_id, rule, signature):
    assert verified_rule(SECRET, account_id, rule, signature) in (None, rule, html.unescape(rule))
    with contextlib.suppress(UnicodeEncodeError):  # a lone surrogate is no rule we sign
        assert verified_rule(SECRET, account_id, rule, sign(SECRET, account_id, rule)) == rule


@FUZZ
@given(st.dictionaries(st.sampled_from(["account_id", "client_uuid", "signature", "x"]), nasty_text, max_size=4))
def test_the_uninstall_check_raises_only_its_refusals(params):
    with contextlib.suppress(ValueError, UninstallRejected):
        assert 1 <= verify_uninstall(params, "client-1", SECRET) <= 2**53


# --- the HTTP entry: random API Gateway events at every public function, in-process ------------------

HTTP_FUNCTIONS = {
    "OAuthFunction": [("GET", "/oauth/callback"), ("POST", "/oauth/callback"), ("GET", "/oauth/uninstall")],
    "DpHookFunction": [("POST", "/dp/hook")],
    "CopiesFunction": [("POST", "/copies")],
    "BulkFunction": [("POST", "/copies/bulk"), ("GET", "/copies/bulk/{batch_id}")],
    "WidgetSettingsFunction": [
        ("GET", "/widget/settings"),
        ("PUT", "/widget/presets/{preset_id}"),
        ("DELETE", "/widget/presets/{preset_id}"),
        ("POST", "/widget/dp/sign"),
        ("GET", "/widget/activity"),
    ],
}
ROUTES = [(fn, method, path) for fn, routes in HTTP_FUNCTIONS.items() for method, path in routes]


@pytest.fixture(scope="module")
def handlers():
    """Each function's handler over moto's template resources, with the environment the template gives it."""
    from dealcopy import wiring
    from dealcopy.config import settings as app_settings

    saved = dict(os.environ)
    with mocked_aws("fuzzhttp") as aws:
        resolve = aws.provisioned.resolver(aws.params)
        registry = FunctionRegistry(aws.template)
        for function in HTTP_FUNCTIONS:
            os.environ.update(aws.template.function_environment(function, resolve))
        os.environ["AMO_BASE_URL_OVERRIDE"] = "http://127.0.0.1:9"  # nothing reaches a real amoCRM
        _clear(app_settings, wiring)
        try:
            yield {function: registry.handler(function) for function in HTTP_FUNCTIONS}
        finally:
            os.environ.clear()
            os.environ.update(saved)
            _clear(app_settings, wiring)


def _clear(app_settings, wiring) -> None:
    app_settings.cache_clear()
    for value in vars(wiring).values():
        if hasattr(value, "cache_clear"):
            value.cache_clear()


def _event(route, headers, query, body, binary, path_value) -> dict:
    _, method, path = route
    raw_path = path.replace("{batch_id}", path_value).replace("{preset_id}", path_value)
    params = {k: v for k, v in {"batch_id": path_value, "preset_id": path_value}.items() if "{" + k + "}" in path}
    data = body.encode("utf-8", "surrogatepass")
    return {
        "version": "2.0",
        "routeKey": f"{method} {path}",
        "rawPath": raw_path,
        "rawQueryString": "",
        "headers": headers,
        "queryStringParameters": query or None,
        "pathParameters": params or None,
        "requestContext": {
            "http": {"method": method, "path": raw_path, "protocol": "HTTP/1.1", "sourceIp": "1.2.3.4"},
            "requestId": "fuzz",
            "timeEpoch": int(time.time() * 1000),
            "time": "01/Jan/2026:00:00:00 +0000",
            "accountId": "000000000000",
            "apiId": "fuzz",
            "routeKey": f"{method} {path}",
            "stage": "$default",
        },
        "body": base64.b64encode(data).decode() if binary else body,
        "isBase64Encoded": binary,
    }


header_names = st.sampled_from(["x-auth-token", "content-type", "origin", "accept-language", "x-other"])


@pytest.mark.filterwarnings("ignore:No application metrics")
@settings(max_examples=200)
@given(
    st.sampled_from(ROUTES),
    st.dictionaries(header_names, nasty_text, max_size=5),
    st.dictionaries(
        st.sampled_from(["code", "referer", "account_id", "client_uuid", "signature", "error"]), nasty_text
    ),
    st.one_of(hook_bodies, json_values.map(json.dumps)),
    st.booleans(),
    st.one_of(nasty_text.filter(lambda s: s and "/" not in s), st.just("a" * 32)),
)
def test_no_random_request_gets_a_5xx(handlers, route, headers, query, body, binary, path_value):
    event = _event(route, headers, query, body, binary, path_value)
    answer = handlers[route[0]](event, LocalContext(function_name=route[0], timeout_seconds=10))
    assert answer["statusCode"] < 500, (route, answer["statusCode"], answer.get("body", "")[:300])
