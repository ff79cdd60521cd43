"""The base of every expected failure: a stable code and data, never an HTTP status.

Domain and adapter code raise `DomainError` subclasses; the HTTP edge (`web/errors.py`)
alone decides the status, and `dealcopy.messages` alone holds the words (ru and en).
"""

from __future__ import annotations

from typing import Any, ClassVar


class DomainError(Exception):
    """An expected failure: `code` keys the message catalog, `data` fills its placeholders."""

    code: ClassVar[str] = "error"

    def __init__(self, code: str | None = None, /, **data: Any) -> None:
        self.code = code or type(self).code  # type: ignore[misc]
        self.data = data
        super().__init__(self.code)

    def message(self, lang: str) -> str:
        from dealcopy.messages import text

        return text(self.code, lang, **self.data)
