"""The one way handlers build their powertools resolver: CORS and error mapping included.

Handlers take `Response` from here too, so powertools' event handler loads only through
`dealcopy.web` (see its `__init__`).
"""

from __future__ import annotations

from aws_lambda_powertools.event_handler.api_gateway import APIGatewayHttpResolver, Response

from dealcopy.config import settings
from dealcopy.web.cors import PatternCORSConfig
from dealcopy.web.errors import answer_for
from dealcopy.web.problems import language

__all__ = ["Response", "api_resolver"]


def api_resolver(*, widget_cors: bool = False) -> APIGatewayHttpResolver:
    """A resolver whose every exception becomes a problem+json answer (see `web/errors.py`).

    `widget_cors` opens the routes to amoCRM account pages (preflight included)
    and allows the `X-Auth-Token` header the widget's `$authorizedAjax` sends; error answers
    (4xx, 5xx, unknown routes) carry the same CORS headers as successes.
    """
    cors = (
        PatternCORSConfig(settings().allowed_origins, allow_headers=["X-Auth-Token", "Accept-Language"], max_age=600)
        if widget_cors
        else None
    )
    app = APIGatewayHttpResolver(cors=cors)

    def answer(err: Exception) -> Response:
        event = app.current_event
        return answer_for(err, language(event.headers.get("accept-language")), _request_id(event))

    app.exception_handler(Exception)(answer)
    return app


def _request_id(event) -> str:
    try:
        return str(event.request_context.request_id or "")
    except (AttributeError, KeyError, TypeError):
        return ""
