"""One catalog of user-facing words, keyed by a stable code, in Russian and English.

Each area keeps its entries in a module of this package (one dict of
`code -> (ru, en)`, `str.format` placeholders); every module here is merged (so a new area
joins by existing), and a test checks that every code has both languages and the same
placeholders in each. A placeholder's value may be `Localized` (words composed from other
messages): it is shown in the language asked for.
"""

from __future__ import annotations

import importlib
import pkgutil
from string import Formatter
from typing import NamedTuple

LANGUAGES = ("ru", "en")


class Localized(NamedTuple):
    """A value already worded in both languages (e.g. a list of problems, or free text)."""

    ru: str
    en: str

    def __str__(self) -> str:
        return self.en

    def pick(self, lang: str) -> str:
        return self.en if lang == "en" else self.ru


def _load() -> dict[str, tuple[str, str]]:
    catalog: dict[str, tuple[str, str]] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        area = importlib.import_module(f"{__name__}.{info.name}").MESSAGES
        clash = catalog.keys() & area.keys()
        if clash:  # pragma: no cover - caught by the catalog test at once
            raise RuntimeError(f"message codes defined twice: {sorted(clash)}")
        catalog.update(area)
    return catalog


CATALOG: dict[str, tuple[str, str]] = _load()

# pydantic's error types -> the codes that word them (a bad rule, a bad request body alike).
VALIDATION_CODES = {
    "missing": "rule-required",
    "extra_forbidden": "rule-unknown-setting",
    "int_type": "rule-integer-expected",
    "int_parsing": "rule-integer-expected",
    "int_from_float": "rule-integer-expected",
    "bool_type": "rule-boolean-expected",
    "bool_parsing": "rule-boolean-expected",
    "string_type": "rule-string-expected",
    "list_type": "rule-list-expected",
    "literal_error": "rule-unexpected-value",
    "model_type": "rule-object-expected",
}


def text(code: str, lang: str, **data: object) -> str:
    """The message for `code` in `lang` ('ru' unless 'en'), placeholders filled from `data`."""
    ru, en = CATALOG.get(code, CATALOG["unknown-error"])
    template = en if lang == "en" else ru
    values = {k: v.pick(lang) if isinstance(v, Localized) else v for k, v in data.items()}
    return template.format_map(_Lenient(values))


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(template) if name}


class _Lenient(dict):
    """A missing placeholder shows as `?` rather than failing an error answer."""

    def __missing__(self, key: str) -> str:
        return "?"
