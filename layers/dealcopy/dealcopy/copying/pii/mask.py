"""Mask what `detect` finds: each value becomes a placeholder in the account's language, the rest stays."""

from __future__ import annotations

from collections.abc import Collection

from dealcopy.copying.pii.detect import KINDS, find
from dealcopy.messages import text as words


def placeholder(kind: str, lang: str) -> str:
    return words(f"pii-{kind}", lang)


def mask(value: str, region: str | None, lang: str, kinds: Collection[str] = KINDS) -> tuple[str, tuple[str, ...]]:
    """`value` with every datum of `kinds` replaced, and the kinds replaced (in order, once each)."""
    found = [item for item in find(value, region) if item.kind in kinds]
    if not found:
        return value, ()
    parts, position = [], 0
    for item in found:
        parts += [value[position : item.start], placeholder(item.kind, lang)]
        position = item.end
    parts.append(value[position:])
    return "".join(parts), tuple(dict.fromkeys(item.kind for item in found))
