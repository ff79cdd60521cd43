"""The one way handlers build their powertools resolver: CORS and error mapping included."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

from dealcopy.config import settings
from dealcopy.observability import logger
from dealcopy.web.cors import PatternCORSConfig
from dealcopy.web.errors import MAPPERS
from dealcopy.web.problems import Problem, problem_response


def api_resolver(*, widget_cors: bool = False) -> APIGatewayHttpResolver:
    """A resolver whose Problem exceptions become problem+json answers.

    `widget_cors` opens the routes to amoCRM account pages (preflight included)
    and allows the `X-Auth-Token` header the widget's `$authorizedAjax` sends.
    """
    cors = (
        PatternCORSConfig(settings().allowed_origins, allow_headers=["X-Auth-Token", "Accept-Language"], max_age=600)
        if widget_cors
        else None
    )
    app = APIGatewayHttpResolver(cors=cors)

    def answer(problem: Problem) -> Response:
        logger.info("request refused", extra={"status": problem.status, "code": problem.code})
        return problem_response(problem, app.current_event.headers.get("accept-language"))

    app.exception_handler(Problem)(answer)
    for exc_type, to_problem in MAPPERS:
        app.exception_handler(exc_type)(lambda err, to_problem=to_problem: answer(to_problem(err)))
    return app
