"""Manual copy of a lead from the widget; the same idempotency key never makes a second copy."""

import json

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyValidationError,
)

from dealcopy import wiring
from dealcopy.config import settings
from dealcopy.manual_copy import CopyRequest
from dealcopy.web.entry import http_entry
from dealcopy.web.problems import Problem
from dealcopy.web.resolver import api_resolver
from dealcopy.web.session import WidgetSession, parse_body

app = api_resolver(widget_cors=True)
idempotency = IdempotencyConfig(
    event_key_jmespath="[account_id, key]",  # keys are per account: another account's key never collides
    payload_validation_jmespath="body",  # the same key with another body is refused, not replayed
    raise_on_no_idempotency_key=True,
    expires_after_seconds=24 * 3600,
)
persistence = DynamoDBPersistenceLayer(table_name=settings().idempotency_table)


@idempotent_function(data_keyword_argument="request", config=idempotency, persistence_store=persistence)
def copy_once(request: dict, session: WidgetSession) -> dict:
    body = CopyRequest.model_validate(request["body"])
    account_id = session.account.account_id
    preset = wiring.presets().get(account_id, body.preset_id) if body.preset_id else None
    return wiring.manual_copier(session.account).run(body, preset, session.caller.user_id)


@app.post("/copies")
def create_copy():
    session = wiring.widget_session(app.current_event.headers, require_licence=True)
    body = parse_body(CopyRequest, app.current_event.body)
    idempotency.register_lambda_context(app.lambda_context)
    account_id = session.account.account_id
    request = {"account_id": account_id, "key": body.idempotency_key, "body": body.model_dump(mode="json")}
    try:
        result = copy_once(request=request, session=session)
    except IdempotencyAlreadyInProgressError as err:
        raise Problem(
            409, "in-progress", "Эта копия уже создаётся, подождите.", "This copy is already being made; please wait."
        ) from err
    except IdempotencyValidationError as err:
        raise Problem(
            409,
            "key-reused",
            "Ключ повтора уже использован для другого запроса.",
            "The idempotency key was already used for a different request.",
        ) from err
    return Response(status_code=201, content_type="application/json", body=json.dumps(result, ensure_ascii=False))


lambda_handler = http_entry(app)
