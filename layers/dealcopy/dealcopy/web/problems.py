"""RFC 7807 problem+json answers with messages in the caller's language."""

from __future__ import annotations

import json
from http import HTTPStatus

from aws_lambda_powertools.event_handler import Response


class Problem(Exception):
    """An expected failure that maps to one HTTP answer (raised by domain or handler code)."""

    def __init__(
        self,
        status: int,
        code: str,
        detail_ru: str,
        detail_en: str,
        *,
        headers: dict[str, str] | None = None,
        **extra: object,
    ) -> None:
        super().__init__(detail_en)
        self.status = status
        self.code = code
        self.detail = {"ru": detail_ru, "en": detail_en}
        self.headers = headers or {}
        self.extra = extra


def prefers_russian(accept_language: str | None) -> bool:
    """Russian first (our users), English when the browser asks for it first."""
    if not accept_language:
        return True
    first = accept_language.split(",")[0].strip().lower()
    return not first.startswith("en")


def problem_response(problem: Problem, accept_language: str | None) -> Response:
    lang = "ru" if prefers_russian(accept_language) else "en"
    body = {
        "type": f"https://dealcopy.dev/problems/{problem.code}",
        "title": HTTPStatus(problem.status).phrase,
        "status": problem.status,
        "code": problem.code,
        "detail": _sentence(problem.detail[lang]),
        **problem.extra,
    }
    return Response(
        status_code=problem.status,
        content_type="application/problem+json",
        body=json.dumps(body, ensure_ascii=False),
        headers=problem.headers,
    )


def _sentence(text: str) -> str:
    """Domain reasons are written as clauses ("user 'X' may not…") so they compose; shown alone, capitalise."""
    return text[:1].upper() + text[1:]
