"""The detector and masking on arbitrary text (hypothesis, fixed seed) and on the issue's values."""

from __future__ import annotations

import itertools
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dealcopy.copying.pii import checks
from dealcopy.copying.pii.detect import find
from dealcopy.copying.pii.mask import mask

SECRETS = st.sampled_from(
    [
        "+375 29 123-45-67",
        "+7 909 726-01-77",
        "ivan.petrov@example.com",
        "4276 3800 1234 5679",
        "DE89 3704 0044 0532 0130 00",
        "112-233-445 95",
        "7702456781",
        "40702810900000012345",
        "https://wa.me/79097260177",
        "+380 50 123 4567",
        "+1 415 555 2671",
    ]
)
# Work words that hold no datum: letters, short numbers, track and model numbers, dates.
WORDS = st.sampled_from(["Монтаж", "стойки", "шт.", "Dell", "R650", "и", "до", "LI-2025-000184", "18.01.2025", "42U"])
FILLER = st.lists(WORDS, max_size=5).map(" ".join)


@settings(max_examples=300)
@given(st.text(max_size=200), st.sampled_from(["RU", "BY", "DE", "US", None]))
def test_never_crashes_and_finds_ordered_disjoint_spans_on_any_text(text, region):
    found = find(text, region)
    assert all(0 <= f.start < f.end <= len(text) for f in found)
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


@settings(max_examples=200)
@given(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=120) | st.builds("{} {} {}".format, FILLER, SECRETS, FILLER)
)
def test_masking_is_idempotent(text):
    once, _ = mask(text, "RU", "ru")
    assert mask(once, "RU", "ru") == (once, ())


@settings(max_examples=200)
@given(FILLER, SECRETS, FILLER, st.sampled_from(["ru", "en"]))
def test_the_text_around_a_datum_is_kept_as_it_was(before, secret, after, lang):
    masked, kinds = mask(f"{before} {secret} {after}", "RU", lang)
    assert kinds and secret not in masked
    assert masked.startswith(f"{before} ") and masked.endswith(f" {after}")


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("Звонить +375 29 123-45-67 вечером", ["phone"]),
        ("СНИЛС 112-233-445 95", ["snils"]),
        ("Паспорт 4510 123456", ["passport"]),
        ("Оплата картой 4276 3800 1234 5679, спецификация: 2 сервера", ["card"]),
        ("IBAN DE89 3704 0044 0532 0130 00 EUR", ["iban"]),
        ("+7 909 726-01-77, ivan.petrov@example.com, ИНН 7702456781, р/с 40702810900000012345", None),
    ],
)
def test_the_issues_values_are_found(text, kinds):
    found = [f.kind for f in find(text, "RU")]
    if kinds is None:
        assert found == ["phone", "email", "inn", "account"]
    else:
        assert found == kinds


def test_check_digits():
    assert checks.snils("11223344595") and not checks.snils("11223344596")
    assert checks.ogrn("1027700132195") and checks.ogrn("318774600123452") and not checks.ogrn("318774600123453")
    assert checks.inn("7702456781") and not checks.inn("7702456782")
    assert (
        checks.card("4276380012345679") and not checks.card("4276380012345678") and not checks.card("1234567812345670")
    )
    assert checks.iban("DE89370400440532013000") and not checks.iban("DE89370400440532013001")


@pytest.mark.parametrize(
    "text",
    ["1 2 3 4 5 6 7 8 9 0 " * 1000, "1." * 10_000, "7" * 20_000, "a@" * 10_000, "DE89 " + "AB12 " * 4000],
    ids=["digit-table", "dots", "digits", "at-signs", "iban-like"],
)
def test_a_pasted_table_costs_seconds_not_minutes(text):
    """Free text can be tens of kilobytes: no regular expression or re-try may grow with its square."""
    started = time.process_time()
    find(text, "RU")
    assert time.process_time() - started < 15  # about 1.5 s on a laptop core; minutes before the bounds
