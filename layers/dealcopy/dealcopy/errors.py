"""The base of every expected failure: a stable code and data, never an HTTP status.

Domain and adapter code raise `DomainError` subclasses; the HTTP edge (`web/errors.py`)
alone decides the status, and `dealcopy.messages` alone holds the words (ru and en).
"""

from __future__ import annotations

from typing import Any, ClassVar

_PLAIN = (str, int, float, bool, type(None))


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

    def details(self) -> dict[str, Any]:
        """Facts a client may act on (ids, paths), shown beside the message: the JSON-plain data.

        Subclasses whose data holds anything a caller must not see override this.
        """
        return {key: value for key, value in self.data.items() if _plain(value)}


def _plain(value: Any) -> bool:
    if isinstance(value, _PLAIN):
        return True
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    if isinstance(value, dict) and type(value) is dict:
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    return False
