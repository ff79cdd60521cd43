"""Refusals of the HTTP edge itself (bad bodies, sessions, presets): codes and data, no status.

The status of each is in `web/errors.py`, its words in `messages/web.py`.
"""

from __future__ import annotations

from typing import Any

from dealcopy.errors import DomainError
from dealcopy.messages import LANGUAGES, Localized, text


class BadJson(DomainError):
    code = "bad-json"


class BadEncoding(DomainError):
    code = "bad-encoding"


class BodyTooLarge(DomainError):
    code = "body-too-large"

    def __init__(self, limit_bytes: int) -> None:
        super().__init__(limit=limit_bytes // 1024)


def field_problem(path: str, code: str, **data: object) -> dict[str, str]:
    """One bad field of a request (`RequestInvalid`), worded by the catalog in both languages."""
    return {"path": path, **{f"message_{lang}": text(code, lang, **data) for lang in LANGUAGES}}


class RequestInvalid(DomainError):
    """The body does not fit the route's model: `errors` locate every bad field by its path."""

    code = "bad-request"

    def __init__(self, errors: list[dict[str, str]]) -> None:
        self.errors = errors
        listed = ("; ".join(f"{e['path']}: {e[f'message_{lang}']}" for e in errors) for lang in LANGUAGES)
        super().__init__(fields=Localized(*listed))

    def details(self) -> dict[str, Any]:
        return {"errors": self.errors}


class NotInstalled(DomainError):
    code = "not-installed"


class LicenceExpired(DomainError):
    code = "licence-expired"


class BadPresetId(DomainError):
    code = "bad-preset-id"

    def details(self) -> dict[str, Any]:
        return {"errors": [field_problem("preset_id", "bad-id")]}


class PresetNotFound(DomainError):
    code = "preset-not-found"

    def __init__(self, preset_id: str) -> None:
        super().__init__(preset_id=preset_id[:64])

    def details(self) -> dict[str, Any]:
        return {}


class AdminOnly(DomainError):
    code = "admin-only"
