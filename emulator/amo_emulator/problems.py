"""Response helpers with amoCRM's media types and error bodies.

Success bodies are ``application/hal+json``, errors ``application/problem+json``
(RFC 7807 with amoCRM's ``type`` links to httpstatus.es), empty lists are 204.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from starlette.responses import Response

HAL_JSON = "application/hal+json"
PROBLEM_JSON = "application/problem+json"

TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    402: "Payment Required",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}

# Default ``detail`` texts of amoCRM's Symfony-style validation codes.
VALIDATION_DETAILS = {
    "NotSupportedChoice": "The value you selected is not a valid choice.",
    "FieldNotExpected": "This field was not expected.",
    "FieldMissing": "This field is missing.",
    "NotBlank": "This value should not be blank.",
    "InvalidType": "This value should be of type {expected}.",
    "TooManyEntities": "Too many entities in one request.",
}


def dumps(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def json_response(data: Any, status: int = 200, media_type: str = "application/json") -> Response:
    return Response(dumps(data), status_code=status, media_type=media_type)


def hal(data: Any, status: int = 200) -> Response:
    return json_response(data, status, HAL_JSON)


def no_content() -> Response:
    """amoCRM answers an empty result with 204 and no body at all."""
    return Response(status_code=204)


def problem_body(status: int, detail: str, title: str | None = None, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": title or TITLES.get(status, "Error"),
        "type": f"https://httpstatus.es/{status}",
        "status": status,
        "detail": detail,
    }
    body.update(extra)
    return body


def problem(status: int, detail: str, title: str | None = None, **extra: Any) -> Response:
    return json_response(problem_body(status, detail, title, **extra), status, PROBLEM_JSON)


def not_found(detail: str = "Not found") -> Response:
    return problem(404, detail)


@dataclass
class ItemErrors:
    """Errors of one item of a batch, reported under the item's ``request_id``."""

    request_id: str
    errors: list[dict[str, str]] = field(default_factory=list)

    def add(self, path: str, code: str = "NotSupportedChoice", detail: str | None = None, **fmt: str) -> None:
        text = detail if detail is not None else VALIDATION_DETAILS.get(code, code).format(**fmt)
        self.errors.append({"code": code, "path": path, "detail": text})

    def invalid_type(self, path: str, expected: str) -> None:
        self.add(path, "InvalidType", expected=expected)

    def __bool__(self) -> bool:
        return bool(self.errors)


def validation_failed(items: list[ItemErrors]) -> Response:
    """400 ``Request validation failed`` listing every failing item."""
    payload = [{"request_id": it.request_id, "errors": it.errors} for it in items if it.errors]
    body = {"validation-errors": payload, **problem_body(400, "Request validation failed")}
    return json_response(body, 400, PROBLEM_JSON)
