"""amoCRM's own validation codes and texts, in the user's language: amoCRM answers in English codes.

amoCRM answers a refused write with Symfony-style codes (`NotSupportedChoice`, `FieldMissing`,
...) and an English `detail` ("Field is read-only"). Neither may reach a Russian screen as is:
`localize(code, detail, lang)` words a known code or detail from this catalog and keeps an
unknown English detail only as a quoted tail after a worded lead-in, so the user always reads
their own language first. Codes and details seen: facts file + the emulator (U for the rest).
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "amo-NotSupportedChoice": ("недопустимое значение", "the value is not a valid choice"),
    "amo-FieldNotExpected": ("поле не ожидалось", "this field was not expected"),
    "amo-FieldMissing": ("не хватает обязательного значения", "a required value is missing"),
    "amo-NotBlank": ("значение не может быть пустым", "the value must not be blank"),
    "amo-InvalidType": ("значение не того типа", "the value has the wrong type"),
    "amo-TooManyEntities": ("слишком много записей в одном запросе", "too many records in one request"),
    "amo-ReadOnly": ("поле только для чтения", "the field is read-only"),
    "amo-Unknown": ("amoCRM не принял значение ({detail})", "amoCRM refused the value ({detail})"),
}

# amoCRM's English details that say more than their code does.
_DETAILS = {
    "field is read-only": "amo-ReadOnly",
    "the value you selected is not a valid choice.": "amo-NotSupportedChoice",
    "this field was not expected.": "amo-FieldNotExpected",
    "this field is missing.": "amo-FieldMissing",
    "this value should not be blank.": "amo-NotBlank",
    "too many entities in one request.": "amo-TooManyEntities",
}


def catalog_code(code: str | None, detail: str | None) -> str | None:
    """The catalog code for an amoCRM issue: its detail when known (more telling), else its code."""
    by_detail = _DETAILS.get((detail or "").strip().lower())
    if by_detail:
        return by_detail
    if (detail or "").lower().startswith("this value should be of type"):
        return "amo-InvalidType"
    key = f"amo-{code}" if code else ""
    return key if key in MESSAGES else None


def localize(code: str | None, detail: str | None, lang: str) -> str:
    """One amoCRM issue worded in `lang`; an unknown one keeps amoCRM's text in parentheses."""
    from dealcopy.messages import text

    known = catalog_code(code, detail)
    if known:
        return text(known, lang)
    return text("amo-Unknown", lang, detail=detail or code or "?")


def localize_joined(details: str, lang: str) -> str:
    """A `; `-joined list of amoCRM details or codes (as `creating` collects them), worded in `lang`."""
    parts = [p.strip() for p in details.split(";") if p.strip()]
    return "; ".join(localize(p if p[:1].isupper() and " " not in p else None, p, lang) for p in parts)
