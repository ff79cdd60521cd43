from dealcopy.amo.errors import (
    AmoForbidden,
    AmoRateLimited,
    AmoServerError,
    AmoUnauthorized,
    AmoValidationError,
    error_from_answer,
)


def test_validation_errors_keep_request_id_path_code_detail():
    body = {
        "validation-errors": [
            {
                "request_id": "7",
                "errors": [
                    {
                        "code": "NotSupportedChoice",
                        "path": "status_id",
                        "detail": "The value you selected...",
                    },
                    {"code": "InvalidType", "path": "custom_fields_values.0.values.0.value", "detail": "bad"},
                ],
            }
        ],
        "title": "Bad Request",
        "type": "https://httpstatus.es/400",
        "status": 400,
        "detail": "Request validation failed",
    }
    err = error_from_answer(400, body)
    assert isinstance(err, AmoValidationError)
    assert [(i.request_id, i.path, i.code) for i in err.issues] == [
        ("7", "status_id", "NotSupportedChoice"),
        ("7", "custom_fields_values.0.values.0.value", "InvalidType"),
    ]
    assert "status_id" in str(err)


def test_retry_after_from_body_or_header():
    assert error_from_answer(429, {"retry_after": 2}).retry_after == 2.0
    from_header = error_from_answer(429, {}, {"Retry-After": "3"})
    assert isinstance(from_header, AmoRateLimited) and from_header.retry_after == 3.0
    assert error_from_answer(429, {"retry_after": "soon"}).retry_after is None


def test_status_classes():
    assert isinstance(error_from_answer(401, {}), AmoUnauthorized)
    assert isinstance(error_from_answer(403, {"detail": "blocked"}), AmoForbidden)
    assert isinstance(error_from_answer(504, None), AmoServerError)
    assert error_from_answer(403, {"detail": "blocked"}).detail == "blocked"


# --- the one registry from failures to HTTP answers (web/errors.py), through a real resolver ---

import base64  # noqa: E402
import json  # noqa: E402

import pytest  # noqa: E402
from pydantic import BaseModel  # noqa: E402

from dealcopy.amo.errors import (  # noqa: E402
    AmoAmbiguousWrite,
    AmoPaymentRequired,
    AmoTokenError,
    AmoUnavailable,
    ReinstallRequired,
)
from dealcopy.auth.one_time_token import TokenRejected  # noqa: E402
from dealcopy.copying.errors import CopyForbidden, RuleInvalid, RuleProblem, SourceNotFound  # noqa: E402
from dealcopy.errors import DomainError  # noqa: E402
from dealcopy.usecases.requests import AmoId  # noqa: E402
from dealcopy.web.body import MAX_BODY_BYTES, parse_body  # noqa: E402
from dealcopy.web.resolver import api_resolver  # noqa: E402

ORIGIN = "https://demo.amocrm.ru"


class _Unmapped(DomainError):
    code = "source_not_found"


class QueueError(Exception):
    """Stands in for `dealcopy.jobs.queue.QueueError` (same dotted name below)."""


QueueError.__module__, QueueError.__qualname__ = "dealcopy.jobs.queue", "QueueError"


class _Ids(BaseModel):
    lead_id: AmoId


def _app(raise_it):
    app = api_resolver(widget_cors=True)

    @app.post("/x")
    def route():
        parse_body(_Ids, app.current_event)
        if raise_it is None:
            return {"ok": True}
        raise raise_it()

    return app


def _call(app, body='{"lead_id": 1}', *, b64=False, lang="en", path="/x"):
    event = {
        "version": "2.0",
        "routeKey": f"POST {path}",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {"origin": ORIGIN, "accept-language": lang, "content-type": "application/json"},
        "requestContext": {
            "http": {"method": "POST", "path": path, "protocol": "HTTP/1.1", "sourceIp": "1.1.1.1"},
            "requestId": "req-1",
            "stage": "$default",
        },
        "body": base64.b64encode(body).decode() if b64 and isinstance(body, bytes) else body,
        "isBase64Encoded": b64,
    }
    answer = app.resolve(event, None)
    return answer["statusCode"], answer["headers"], json.loads(answer["body"])


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (lambda: AmoPaymentRequired(402), 402, "amocrm-unpaid"),
        (lambda: error_from_answer(403, {"detail": "blocked"}), 403, "amocrm-blocked"),
        (lambda: error_from_answer(418, {}), 502, "amocrm-error"),
        (lambda: error_from_answer(503, {}), 503, "amocrm-unavailable"),
        (lambda: AmoUnavailable("down", 3), 503, "amocrm-unavailable"),
        (lambda: AmoAmbiguousWrite("timeout", 1), 503, "amocrm-uncertain"),
        (lambda: ReinstallRequired("account 5 uninstalled"), 401, "reinstall-required"),
        (lambda: AmoTokenError("account 5: refresh wait timed out"), 503, "token-temporary"),
        (lambda: TokenRejected("token expired"), 401, "unauthenticated"),
        (lambda: SourceNotFound(7), 404, "source_not_found"),
        (lambda: CopyForbidden("may-not-add-leads", user="Анна"), 403, "forbidden"),
        (lambda: RuleInvalid([RuleProblem("pipeline_id", "rule-problem")]), 400, "rule_invalid"),
        (lambda: QueueError("sqs down: arn:aws:sqs:secret"), 503, "queue-unavailable"),
        (lambda: _Unmapped(lead_id=1), 400, "source_not_found"),
        (lambda: RuntimeError("password=hunter2"), 500, "internal"),
    ],
)
def test_every_failure_is_a_problem_json_with_cors(error, status, code):
    got, headers, body = _call(_app(error))
    assert (got, body["status"], body["code"]) == (status, status, code)
    assert headers["Content-Type"] == "application/problem+json"
    assert headers["Access-Control-Allow-Origin"] == ORIGIN
    assert body["detail"] and "{" not in body["detail"] and "?" not in body["detail"]
    assert ("Retry-After" in headers) == (status == 503)
    assert "hunter2" not in json.dumps(body) and "arn:" not in json.dumps(body) and "Traceback" not in json.dumps(body)


def test_the_answer_speaks_russian_unless_english_is_asked_first():
    _, _, body = _call(_app(lambda: SourceNotFound(7)), lang="ru")
    assert body["detail"] == "Сделка #7 не найдена"
    _, _, body = _call(_app(lambda: RuntimeError("x")), lang="ru")
    assert body["detail"].startswith("Внутренняя ошибка") and body["request_id"] == "req-1"


def test_rule_problems_are_listed_with_their_paths():
    _, _, body = _call(_app(lambda: RuleInvalid([RuleProblem("fields[2]", "rule-stale-field", stale=True, ref=7)])))
    assert body["errors"][0]["path"] == "fields[2]" and body["errors"][0]["message_en"] == "field #7 not found"


def test_an_unknown_route_is_a_404_problem_with_cors():
    status, headers, body = _call(_app(lambda: RuntimeError()), path="/nope")
    assert (status, body["code"]) == (404, "not-found")
    assert headers["Access-Control-Allow-Origin"] == ORIGIN


@pytest.mark.parametrize(
    ("body", "b64", "status", "code"),
    [
        (b"\xff\xfe{}", True, 400, "bad-encoding"),
        (b'{"lead_id": 1}', True, 200, None),
        ("not base64!", True, 400, "bad-encoding"),
        ("[" * 100_000, False, 413, "body-too-large"),
        ("[" * 60_000 + "]" * 60_000, False, 413, "body-too-large"),
        ("[" * 30_000 + "]" * 30_000, False, 400, "bad-json"),
        ('{"lead_id": ' + str(2**53 + 1) + "}", False, 400, "bad-request"),
        ('{"lead_id": 0}', False, 400, "bad-request"),
        ("", False, 400, "bad-json"),
        (b"x" * (MAX_BODY_BYTES + 1), True, 413, "body-too-large"),
    ],
    ids=[
        "not-utf8",
        "base64-json",
        "bad-base64",
        "huge",
        "huge-nested",
        "deep",
        "id-over-2^53",
        "id-0",
        "empty",
        "b64-huge",
    ],
)
def test_bodies_are_decoded_one_way(body, b64, status, code):
    got, headers, answer = _call(_app(None), body, b64=b64)
    assert got == status, answer
    if code:
        assert answer["code"] == code and headers["Access-Control-Allow-Origin"] == ORIGIN
    if code == "bad-request":
        assert answer["errors"][0]["path"] == "lead_id"
