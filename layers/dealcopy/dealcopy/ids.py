"""Bounds of the ids amoCRM uses (accounts, users, leads, pipelines, fields, ...).

amoCRM ids are positive integers that fit a JSON number exactly (<= 2**53); anything
larger is hostile input and must be refused before it reaches DynamoDB or amoCRM.
No pydantic here: the DP hook checks ids on its import path (cold start); request models
get the same bound as `usecases.requests.AmoId`.
"""

from __future__ import annotations

from typing import Any

MAX_AMO_ID = 2**53


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
