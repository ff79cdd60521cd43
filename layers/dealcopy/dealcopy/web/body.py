"""The one way every route reads its request body: size, base64, UTF-8, JSON, model.

API Gateway hands a body that is not text (`application/octet-stream`, form data with odd
bytes) base64-encoded with `isBase64Encoded`; a hostile body may be huge, not UTF-8, or
JSON nested deep enough to exhaust the parser. Each of these is a 4xx here, never a 500.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from dealcopy.messages import VALIDATION_CODES
from dealcopy.web.failures import BadEncoding, BadJson, BodyTooLarge, RequestInvalid, field_problem

if TYPE_CHECKING:  # pydantic loads with the first body parsed: GET routes and the DP hook never pay for it
    from pydantic import BaseModel, ValidationError

MAX_BODY_BYTES = 64 * 1024  # a DP hook is a few KB, a rule or preset less: refuse more at once

Model = TypeVar("Model", bound="BaseModel")


class HasRawEvent(Protocol):
    @property
    def raw_event(self) -> dict[str, Any]: ...


def body_bytes(event: HasRawEvent | dict[str, Any]) -> bytes:
    """The body's bytes (base64 undone), refused if larger than `MAX_BODY_BYTES`."""
    raw = event if isinstance(event, dict) else event.raw_event
    body = raw.get("body") or ""
    if not isinstance(body, str):
        raise BadEncoding()
    if raw.get("isBase64Encoded"):
        if len(body) > (MAX_BODY_BYTES + 2) // 3 * 4 + 4:  # refuse before decoding
            raise BodyTooLarge(MAX_BODY_BYTES)
        try:
            data = base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError) as err:
            raise BadEncoding() from err
    else:
        if len(body) > MAX_BODY_BYTES:
            raise BodyTooLarge(MAX_BODY_BYTES)
        try:
            data = body.encode("utf-8")
        except UnicodeEncodeError as err:  # lone surrogates
            raise BadEncoding() from err
    if len(data) > MAX_BODY_BYTES:
        raise BodyTooLarge(MAX_BODY_BYTES)
    return data


def body_text(event: HasRawEvent | dict[str, Any]) -> str:
    """The body as text: UTF-8 only (a BOM is dropped)."""
    try:
        return body_bytes(event).decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise BadEncoding() from err


def json_value(text: str) -> Any:
    """Parsed JSON, or `BadJson` for anything else (including nesting deep enough to recurse out)."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as err:
        raise BadJson() from err


def parse_body(model: type[Model], source: HasRawEvent | dict[str, Any] | str | None) -> Model:
    """The request body as `model`, or a 4xx naming what is wrong (every bad field by its path).

    `source` is the event (preferred: base64 and size are handled) or, from older callers, the raw body text.
    """
    text = (source or "") if source is None or isinstance(source, str) else body_text(source)
    if len(text) > MAX_BODY_BYTES:
        raise BodyTooLarge(MAX_BODY_BYTES)
    data = json_value(text)
    from pydantic import ValidationError

    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise RequestInvalid(validation_errors(err)) from err
    except RecursionError as err:  # a model with recursive fields fed deep data
        raise BadJson() from err


def validation_errors(err: ValidationError) -> list[dict[str, str]]:
    """pydantic's errors located by path and worded by the catalog (pydantic's own English if unknown)."""
    found = []
    for e in err.errors(include_url=False, include_input=False):
        path = ".".join(str(p) for p in e["loc"]) or "body"
        code = VALIDATION_CODES.get(e["type"])
        if code is not None:
            found.append(field_problem(path, code))
        else:
            found.append({**field_problem(path, "rule-unexpected-value"), "message_en": e["msg"]})
    return found
