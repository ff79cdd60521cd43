"""Refusals of a request that are no fault of amoCRM or of the copy itself (code + data, no HTTP status).

Statuses the edge gives them (`web/errors.py`): `KeyReused` and `AlreadyCopied` 409, `BatchNotFound` 404,
`CopyPending` 202 and `CopyUnfinished` 503 (both with Retry-After: the same key finishes the copy).
"""

from __future__ import annotations

from typing import Any

from dealcopy.errors import DomainError


class KeyReused(DomainError):
    """The idempotency key was used for a different request body."""

    code = "key-reused"


class AlreadyCopied(DomainError):
    """The mass action was pressed again for deals an earlier batch with the same rule copied.

    Data: `already` (how many of them), `total` (how many were chosen); `confirm_again` makes more.
    """

    code = "already-copied"


class BatchNotFound(DomainError):
    code = "batch-not-found"

    def __init__(self, batch_id: str) -> None:
        super().__init__(batch_id=batch_id[:64])

    def details(self) -> dict[str, Any]:
        return {}


class CopyPending(DomainError):
    """A manual copy stopped before API Gateway's deadline; a retry with the same key carries on.

    Data: `idempotency_key`, `retry_after` (seconds), `lead_id` when the lead already exists.
    """

    code = "copy-pending"


class CopyUnfinished(DomainError):
    """The lead exists, but amoCRM failed its links or notes for now; a retry with the same key finishes it."""

    code = "copy-unfinished"
