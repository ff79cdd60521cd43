"""Small helpers for DynamoDB items (numbers come back as Decimal)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from botocore.exceptions import ClientError


def plain(value: Any) -> Any:
    """Turn Decimals from boto3's resource API back into int/float, recursively."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def is_conditional_failure(err: Exception) -> bool:
    response = getattr(err, "response", None) or {}
    return response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"


def applied(write: Callable[..., Any], **request: Any) -> bool:
    """Run a conditional write; False (not an error) when its condition did not hold."""
    try:
        write(**request)
    except ClientError as err:
        if is_conditional_failure(err):
            return False
        raise
    return True
