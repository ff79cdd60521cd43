"""RFC 7807 problem+json answers with messages in the caller's language."""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler.api_gateway import Response

PROBLEM_JSON = "application/problem+json"
_RESERVED = frozenset({"type", "title", "status", "code", "detail"})


def prefers_russian(accept_language: str | None) -> bool:
    """Russian first (our users), English when the browser asks for it first."""
    if not accept_language:
        return True
    first = accept_language.split(",")[0].strip().lower()
    return not first.startswith("en")


def language(accept_language: str | None) -> str:
    return "ru" if prefers_russian(accept_language) else "en"


def problem_answer(
    status: int, code: str, detail: str, extra: dict[str, Any] | None = None, headers: dict[str, str] | None = None
) -> Response:
    """The problem+json answer; `extra` never overrides the standard members."""
    body = {
        "type": f"https://dealcopy.dev/problems/{code}",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "code": code,
        "detail": _sentence(detail),
        **{k: v for k, v in (extra or {}).items() if k not in _RESERVED},
    }
    return Response(
        status_code=status,
        content_type=PROBLEM_JSON,
        body=json.dumps(body, ensure_ascii=False, default=str),
        headers=headers or {},
    )


def _sentence(text: str) -> str:
    """Domain reasons are written as clauses ("user 'X' may not…") so they compose; shown alone, capitalise."""
    return text[:1].upper() + text[1:]
