"""The Lambda entry point every HTTP function shares: logging context, metrics flush, routing."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.event_handler.api_gateway import APIGatewayHttpResolver
from aws_lambda_powertools.logging import correlation_paths

from dealcopy.observability import logger, metrics


def http_entry(app: APIGatewayHttpResolver) -> Callable[[dict[str, Any], Any], dict[str, Any]]:
    @logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP, clear_state=True)
    @metrics.log_metrics
    def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        try:
            return app.resolve(event, context)
        except Exception:  # the resolver maps route errors; this catches what fails around them
            logger.exception("unhandled error outside a route")
            return last_resort(app, event)

    return lambda_handler


def last_resort(app: APIGatewayHttpResolver, event: Any) -> dict[str, Any]:
    """A 500 problem+json with the route's CORS headers, built without the resolver."""
    from dealcopy.messages import text
    from dealcopy.web.problems import _sentence, language

    raw = event if isinstance(event, dict) else {}
    headers = {str(k).lower(): v for k, v in (raw.get("headers") or {}).items()}
    lang = language(headers.get("accept-language"))
    request_id = str((raw.get("requestContext") or {}).get("requestId") or "-")
    cors = getattr(app, "_cors", None)
    answer_headers = {"Content-Type": "application/problem+json"}
    if cors is not None and hasattr(cors, "to_dict"):
        answer_headers.update(cors.to_dict(headers.get("origin")))
    body = {
        "type": "https://dealcopy.dev/problems/internal",
        "title": "Internal Server Error",
        "status": 500,
        "code": "internal",
        "detail": _sentence(text("internal", lang, error=request_id)),
        "request_id": request_id,
    }
    return {
        "statusCode": 500,
        "headers": answer_headers,
        "body": json.dumps(body, ensure_ascii=False),
        "isBase64Encoded": False,
    }
