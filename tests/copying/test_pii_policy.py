"""The anonymisation policy is one table: docs/anonymisation.md prints it, the code runs on it.

And the detector behind it is paid for only by anonymised copies: no handler imports it at start.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dealcopy.copying import anonymise, classify
from dealcopy.copying.metadata import FieldInfo
from dealcopy.copying.pii import policy
from dealcopy.copying.pii.detect import KINDS
from dealcopy.copying.pii.mask import mask, placeholder
from dealcopy.messages import CATALOG
from tests.unit.test_cold_start import _loaded
from tests.unit.test_docs import _between, _rows

from .conftest import rule

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "anonymisation.md"
PARTNER = rule("Партнёры", "Новая заявка", anonymise=True)


def test_the_document_prints_the_policy_table_of_the_code_row_for_row():
    documented = [tuple(row) for row in _rows(_between(DOC.read_text(encoding="utf-8"), "policy"))]
    assert documented == policy.rows()


def test_every_field_type_and_code_row_decides_the_classifier():
    for row in policy.POLICY:
        for key in row.keys:
            if row.subject == policy.TYPE:
                found = classify.classify_field(FieldInfo(1, "Поле", key))
                assert found == (row.reason if row.action == policy.REMOVED else None), key
            elif row.subject == policy.CODE:
                assert classify.classify_field(FieldInfo(1, "Поле", "text", key)) == row.reason, key
            elif row.subject == policy.LISTED:  # a city or region picked from a list is kept, whatever its name
                assert classify.classify_field(FieldInfo(1, "Телефон и адрес", key)) is None, key


def test_free_text_masks_every_kind_the_detector_finds_and_says_so_in_both_languages():
    assert policy.masked_kinds() == set(KINDS)
    for kind in KINDS:
        ru, en = CATALOG[f"pii-{kind}"]
        assert ru and en and placeholder(kind, "en") == en
        for lang in ("ru", "en"):  # a placeholder is never taken for a datum (masking is idempotent)
            assert mask(f"x {placeholder(kind, lang)} y", "RU", lang) == (f"x {placeholder(kind, lang)} y", ())


@pytest.mark.parametrize(
    ("type_", "value", "reason", "kinds"),
    [
        ("url", "https://wa.me/79097260177", policy.PERSONAL_LINK, ["link"]),
        ("url", "mailto:ivan.petrov@example.com", policy.PERSONAL_LINK, ["link"]),
        ("url", "https://yandex.ru/maps/?text=Пермь", policy.MAP_LINK, ["link"]),
        ("numeric", "79097260177", policy.LOOKS_PERSONAL, ["phone"]),
        ("url", "https://telemost.yandex.ru/161852181", None, None),
        ("numeric", "42", None, None),
        ("select", "7702456781", None, None),
    ],
)
def test_links_and_numbers_are_removed_by_what_they_hold(type_, value, reason, kinds):
    decision = anonymise.decide(PARTNER, FieldInfo(7, "Ссылка", type_), [{"value": value}], "RU", "ru")
    if reason is None:
        assert decision is None
    else:
        assert decision.reason == reason
        assert decision.listed(FieldInfo(7, "Ссылка", type_)).model_dump() == {
            "field_id": 7,
            "field": "Ссылка",
            "action": "removed",
            "kinds": kinds,
        }


def test_text_is_masked_in_place_in_the_language_asked():
    value = "Звонить +375 29 123-45-67, трек LI-2025-000184"
    decision = anonymise.decide(PARTNER, FieldInfo(8, "Комментарий", "textarea"), [{"value": value}], "RU", "en")
    assert decision.reason is None and decision.kinds == ("phone",)
    assert decision.values == [{"value": "Звонить [phone hidden], трек LI-2025-000184"}]
    assert anonymise.decide(rule(), FieldInfo(8, "Комментарий", "textarea"), [{"value": value}], "RU", "en") is None


HANDLERS = sorted(p.name for p in (ROOT / "functions").iterdir() if (p / "app.py").exists())


@pytest.mark.parametrize("handler", HANDLERS)
def test_no_handler_imports_the_detector_at_start(handler):
    heavy = ("phonenumbers", "stdnum", "dealcopy.copying.pii.detect", "dealcopy.copying.pii.mask")
    assert sorted(m for m in _loaded(handler) if m.startswith(heavy)) == []
