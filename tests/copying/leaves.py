"""Text and amount leaves of amoCRM values: what the anonymisation tests look for in a copy."""

from __future__ import annotations

from typing import Any

IDS = {"id", "field_id", "enum_id", "entity_id", "catalog_id", "catalog_element_id", "account_id", "request_id"}
STRUCTURAL = {"entity_type", "enum_code", "field_code", "field_type", "field_name", "unit_type", "type"} | IDS
NOT_SUMS = {"quantity", "vat_rate_id", "enum_id", "catalog_id", "catalog_element_id", "entity_id", "file_size"}


def strings(value: Any) -> set[str]:
    """Text leaves of a value (numbers as written), without amoCRM's structural keys (types, codes)."""
    if isinstance(value, str):
        return {value}
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return {str(value)}
    if isinstance(value, dict):
        return {s for k, v in value.items() if k not in STRUCTURAL for s in strings(v)}
    if isinstance(value, list):
        return {s for v in value for s in strings(v)}
    return set()


def sums(value: Any) -> set[float]:
    """Numeric leaves that can be amounts (not quantities, ids or sizes); numeric strings count."""
    if isinstance(value, bool) or value is None:
        return set()
    if isinstance(value, (int, float)):
        return {float(value)}
    if isinstance(value, str):
        try:
            return {float(value)}
        except ValueError:
            return set()
    if isinstance(value, dict):
        return {n for k, v in value.items() if k not in NOT_SUMS for n in sums(v)}
    if isinstance(value, list):
        return {n for v in value for n in sums(v)}
    return set()
