"""Parsing of amoCRM's PHP-style bracket query strings.

``filter[id][]=1&filter[id][]=2`` becomes ``{"filter": {"id": ["1", "2"]}}`` and
``filter[value_after][leads_statuses][0][status_id]=5`` a nested dict keyed by "0".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

_SEGMENT = re.compile(r"\[([^\]]*)\]")


def _segments(key: str) -> list[str]:
    head, bracket, rest = key.partition("[")
    if not bracket:
        return [key]
    return [head, *_SEGMENT.findall("[" + rest)]


def _descend(node: dict[str, Any], segments: list[str]) -> dict[str, Any]:
    for seg in segments:
        child = node.get(seg)
        if isinstance(child, list):
            child = {str(i): v for i, v in enumerate(child)}
            node[seg] = child
        elif not isinstance(child, dict):
            child = {}
            node[seg] = child
        node = child
    return node


def parse_nested(pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    root: dict[str, Any] = {}
    for key, value in pairs:
        segments = _segments(key)
        if len(segments) > 1 and segments[-1] == "":
            parent = _descend(root, segments[:-2])
            name = segments[-2]
            current = parent.get(name)
            if isinstance(current, list):
                current.append(value)
            elif isinstance(current, dict):
                current[str(len(current))] = value
            elif current is None:
                parent[name] = [value]
            else:
                parent[name] = [current, value]
        else:
            _descend(root, segments[:-1])[segments[-1]] = value
    return root


def as_list(value: Any, split_commas: bool = False) -> list[Any]:
    """A filter value as a list: arrays, indexed dicts and scalars are all accepted."""
    if value is None:
        return []
    if isinstance(value, list):
        items = value
    elif isinstance(value, dict):
        items = list(value.values())
    else:
        items = [value]
    if not split_commas:
        return items
    out: list[Any] = []
    for item in items:
        if isinstance(item, str):
            out.extend(p for p in item.split(",") if p)
        else:
            out.append(item)
    return out


def to_int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def as_int_list(value: Any) -> list[int]:
    return [i for i in (to_int(v) for v in as_list(value, split_commas=True)) if i is not None]


def parse_with(raw: str | None) -> set[str]:
    """``with=contacts,catalog_elements``; unknown names are simply ignored by callers."""
    return {p.strip() for p in (raw or "").split(",") if p.strip()}


def query_lists(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """The raw query as ``{key: [values]}`` for the request log."""
    out: dict[str, list[str]] = {}
    for key, value in pairs:
        out.setdefault(key, []).append(value)
    return out


def time_range(value: Any) -> tuple[int | None, int | None]:
    """``filter[created_at][from]/[to]`` or a single timestamp / ``from,to`` string."""
    if isinstance(value, dict):
        return to_int(value.get("from")), to_int(value.get("to"))
    if isinstance(value, str) and "," in value:
        lo, _, hi = value.partition(",")
        return to_int(lo), to_int(hi)
    single = to_int(value)
    return single, single
