"""Manual copy of a lead from the widget; the same idempotency key never makes a second copy.

A key still in use answers 409 `in-progress`, a key reused with another body 409
`key-reused` (powertools' idempotency errors, mapped at the edge). Powertools replays a
finished answer; a failed call leaves no powertools record, and the copy's own checkpoint
(`usecases.copies`) makes the retry finish the lead the failed call made. A copy that would
outlive API Gateway's 29 s answers 202 `copy-pending` in time (`usecases.copy_lead_deadline`).
"""

import functools
import json
from collections.abc import Callable

from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)

from dealcopy import wiring
from dealcopy.config import settings
from dealcopy.usecases.copies import copy_lead
from dealcopy.usecases.copy_lead_deadline import Deadline
from dealcopy.usecases.requests import CopyRequest
from dealcopy.web.body import parse_body
from dealcopy.web.entry import http_entry
from dealcopy.web.resolver import Response, api_resolver
from dealcopy.web.session import WidgetSession

app = api_resolver(widget_cors=True)
idempotency = IdempotencyConfig(
    event_key_jmespath="[account_id, key]",  # keys are per account: another account's key never collides
    payload_validation_jmespath="body",  # the same key with another body is refused, not replayed
    raise_on_no_idempotency_key=True,
    expires_after_seconds=24 * 3600,
)


@functools.cache
def copy_once() -> Callable[..., dict]:
    """The idempotent copy, built with the first request: creating its DynamoDB client costs a third of
    `import boto3`, which the module's import does not pay."""
    persistence = DynamoDBPersistenceLayer(table_name=settings().idempotency_table)
    return idempotent_function(data_keyword_argument="request", config=idempotency, persistence_store=persistence)(
        _copy
    )


def _copy(request: dict, session: WidgetSession, deadline: Deadline) -> dict:
    body = CopyRequest.model_validate(request["body"])
    return copy_lead(
        body,
        session.caller.user_id,
        rules=wiring.rule_book(session.account),
        copier=wiring.manual_copier(session.account, deadline),
    )


def answer_deadline() -> Deadline:
    """API Gateway's limit counted from the request's arrival, or the Lambda's end if sooner."""
    cfg = settings()
    arrived_ms = (app.current_event.raw_event.get("requestContext") or {}).get("timeEpoch")  # absent: not counted
    context = app.lambda_context
    return Deadline.of_request(
        arrived_at=arrived_ms / 1000 if arrived_ms else None,
        lambda_left_ms=context.get_remaining_time_in_millis() if context is not None else None,
        limit=cfg.manual_answer_limit_seconds,
        margin=cfg.manual_answer_margin_seconds,
    )


@app.post("/copies")
def create_copy():
    deadline = answer_deadline()
    session = wiring.widget_session(app.current_event.headers, require_licence=True)
    body = parse_body(CopyRequest, app.current_event)
    idempotency.register_lambda_context(app.lambda_context)
    request = {
        "account_id": session.account.account_id,
        "key": body.idempotency_key,
        "body": body.model_dump(mode="json"),
    }
    result = copy_once()(request=request, session=session, deadline=deadline)
    return Response(status_code=201, content_type="application/json", body=json.dumps(result, ensure_ascii=False))


lambda_handler = http_entry(app)
