"""The message catalog is whole: every code in both languages, every error class worded and mapped."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from pathlib import Path
from string import Formatter

import pytest

import dealcopy
from dealcopy.errors import DomainError
from dealcopy.messages import CATALOG, LANGUAGES, Localized, placeholders, text
from dealcopy.web.errors import RULES, dotted


def _layer_modules() -> list[str]:
    return [m.name for m in pkgutil.walk_packages(dealcopy.__path__, "dealcopy.")]


def _domain_errors() -> list[type[DomainError]]:
    for name in _layer_modules():
        importlib.import_module(name)
    found, todo = [], [DomainError]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            found.append(sub)
            todo.append(sub)
    # A base that names no code of its own (e.g. `HookRejected`) is never raised as such.
    return [cls for cls in found if cls.__module__.startswith("dealcopy.") and cls.code != DomainError.code]


@pytest.mark.parametrize("code", sorted(CATALOG))
def test_every_code_has_both_languages_with_the_same_placeholders(code):
    entry = CATALOG[code]
    assert len(entry) == len(LANGUAGES) == 2
    ru, en = entry
    assert ru.strip() and en.strip(), code
    assert placeholders(ru) == placeholders(en), code
    words = "".join(literal for literal, *_ in Formatter().parse(ru))
    assert any("а" <= ch.lower() <= "я" or ch in "ёЁ" for ch in words) or not any(c.isalpha() for c in words), code


def test_every_domain_error_class_is_worded_and_has_an_http_rule():
    classes = _domain_errors()
    assert len(classes) > 20  # the walk found the layer's errors
    unworded = [dotted(c) for c in classes if c.code not in CATALOG]
    assert unworded == []
    unmapped = [dotted(c) for c in classes if not any(dotted(k) in RULES for k in c.__mro__ if k is not DomainError)]
    assert unmapped == []


def test_every_rule_names_a_real_exception_whose_code_is_worded():
    for name, rule in RULES.items():
        module, _, attr = name.rpartition(".")
        cls = getattr(importlib.import_module(module), attr)
        assert isinstance(cls, type) and issubclass(cls, Exception), name
        code = cls.code if issubclass(cls, DomainError) else rule.code
        assert code in CATALOG, name


def test_words_fill_placeholders_in_the_language_asked_and_tolerate_gaps():
    assert text("source_not_found", "en", lead_id=5) == "Lead #5 was not found"
    assert text("source_not_found", "ru", lead_id=5) == "Сделка #5 не найдена"
    assert text("source_not_found", "en") == "Lead #? was not found"
    assert text("rule_invalid", "en", problems=Localized("а", "b")).endswith(": b")
    assert text("no-such-code", "en") == CATALOG["unknown-error"][1]


ROOT = Path(__file__).resolve().parents[2]
CYRILLIC = re.compile("[\u0400-\u04ff]")
# Russian that is data, not words for people: what the code recognises in amoCRM's values.
RECOGNISED = {
    "layers/dealcopy/dealcopy/copying/classify.py": None,  # field names and values that mean requisites, money...
    "layers/dealcopy/dealcopy/copying/fields.py": {"да"},  # a checkbox value written as text
    "layers/dealcopy/dealcopy/copying/pii/keywords.py": None,  # words that announce an identifier in text
    "layers/dealcopy/dealcopy/copying/pii/links.py": {"2гис."},  # 2GIS's Cyrillic host name
    "layers/dealcopy/dealcopy/copying/pii/policy.py": None,  # the policy table's examples of field names
}


def _code_strings(path: Path) -> list[tuple[int, str]]:
    """String literals of a module that are code, not documentation (docstrings and comments are not)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
    ]


def test_no_words_outside_the_catalog():
    """User-facing words live in dealcopy/messages/ only, so every one of them has both languages."""
    files = [*(ROOT / "layers").rglob("*.py"), *(ROOT / "functions").rglob("*.py")]
    assert len(files) > 50
    inline = []
    for path in files:
        name = path.relative_to(ROOT).as_posix()
        if "/messages/" in name or RECOGNISED.get(name, set()) is None:
            continue
        allowed = RECOGNISED.get(name, set())
        inline += [
            f"{name}:{line}: {s!r}" for line, s in _code_strings(path) if CYRILLIC.search(s) and s not in allowed
        ]
    assert inline == []
