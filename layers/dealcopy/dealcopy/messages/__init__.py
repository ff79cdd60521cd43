"""One catalog of user-facing words, keyed by a stable code, in Russian and English.

Each area keeps its entries in a module of this package (one dict of
`code -> (ru, en)`, `str.format` placeholders); they are merged here, and a test checks
that every code has both languages and the same placeholders in each.
"""

from __future__ import annotations

from string import Formatter

from dealcopy.messages import amo, copying, install, jobs, web

LANGUAGES = ("ru", "en")

CATALOG: dict[str, tuple[str, str]] = {}
for _area in (web, amo, copying, install, jobs):
    _clash = CATALOG.keys() & _area.MESSAGES.keys()
    if _clash:  # pragma: no cover - caught by the catalog test at once
        raise RuntimeError(f"message codes defined twice: {sorted(_clash)}")
    CATALOG.update(_area.MESSAGES)


def text(code: str, lang: str, **data: object) -> str:
    """The message for `code` in `lang` ('ru' unless 'en'), placeholders filled from `data`."""
    ru, en = CATALOG.get(code, CATALOG["unknown-error"])
    template = en if lang == "en" else ru
    return template.format_map(_Lenient(data))


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(template) if name}


class _Lenient(dict):
    """A missing placeholder shows as `?` rather than failing an error answer."""

    def __missing__(self, key: str) -> str:
        return "?"
