"""Bounds of the ids amoCRM uses (accounts, users, leads, pipelines, fields, ...).

amoCRM ids are positive integers that fit a JSON number exactly (<= 2**53); anything
larger is hostile input and must be refused before it reaches DynamoDB or amoCRM.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, StrictInt

MAX_AMO_ID = 2**53

AmoId = Annotated[int, Field(ge=1, le=MAX_AMO_ID)]
"""An id in a request model: a positive integer (or its decimal text) up to 2**53."""

StrictAmoId = Annotated[StrictInt, Field(ge=1, le=MAX_AMO_ID)]
"""The same, refusing strings and floats (for claims that amoCRM sends as JSON numbers)."""


def amo_id(value: Any) -> int | None:
    """`value` as an amoCRM id if it is one (an int, or ASCII decimal digits), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        if not (value.isascii() and value.isdigit() and len(value) <= 16):
            return None
        value = int(value)
    if isinstance(value, int) and 1 <= value <= MAX_AMO_ID:
        return value
    return None
