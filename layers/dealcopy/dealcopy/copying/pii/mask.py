"""Mask what `detect` finds: each value becomes a placeholder in the account's language, the rest stays."""

from __future__ import annotations

from dealcopy.copying.pii.detect import find
from dealcopy.messages import text as words


def placeholder(kind: str, lang: str) -> str:
    return words(f"pii-{kind}", lang)


def mask(value: str, region: str | None, lang: str) -> tuple[str, tuple[str, ...]]:
    """`value` with every personal or financial datum replaced, and the kinds replaced (in order, once each)."""
    found = find(value, region)
    if not found:
        return value, ()
    parts, position = [], 0
    for item in found:
        parts += [value[position : item.start], placeholder(item.kind, lang)]
        position = item.end
    parts.append(value[position:])
    return "".join(parts), tuple(dict.fromkeys(item.kind for item in found))
