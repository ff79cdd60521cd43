"""Refusals of a request that are no fault of amoCRM or of the copy itself (code + data, no HTTP status).

Statuses the edge gives them (`web/errors.py`): `KeyReused` 409, `BatchNotFound` 404.
"""

from __future__ import annotations

from typing import Any

from dealcopy.errors import DomainError


class KeyReused(DomainError):
    """The idempotency key was used for a different request body."""

    code = "key-reused"


class BatchNotFound(DomainError):
    code = "batch-not-found"

    def __init__(self, batch_id: str) -> None:
        super().__init__(batch_id=batch_id[:64])

    def details(self) -> dict[str, Any]:
        return {}
