"""Find personal and financial data in free text: where it is and what kind it is.

Phone numbers of every country come from `phonenumbers` (Google's libphonenumber metadata) over
the text, with the account's country as the region of numbers typed without a country code.
Identifiers are validated by their check digits (`checks`), or announced by a keyword
(«паспорт», «КПП», «р/с»...) when they have none. Overlaps keep the longest match, so a phone
number inside a card or an account number is one card, one account.

Heavy imports (phonenumbers, stdnum): this module is imported only by an anonymised copy.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import phonenumbers

from dealcopy.copying.pii import checks, keywords
from dealcopy.copying.pii.links import is_personal_link, urls

# Kinds, most telling first: of two matches of one length the first kind names it.
KINDS = ("link", "email", "iban", "card", "account", "passport", "snils", "ogrn", "inn", "kpp", "bik", "phone")
_RANK = {kind: i for i, kind in enumerate(KINDS)}
# Kinds that may sit inside a project link and must not cut it (a number in a meeting URL).
_TEXTUAL = frozenset({"link", "email"})

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}")
_IBAN = re.compile(r"(?<![\w])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{1,4}){3,8}(?![\w])")
_CARD = re.compile(
    r"(?<![\w.,-])(?:\d{4}([ -]?)\d{4}\1\d{4}\1\d{4}|\d{4}([ -]?)\d{6}\2\d{5}|\d{13,19})(?![\w-])(?![.,]\d)"
)
# A run of digits that is a whole word (not part of a decimal, a code with letters, or a dashed number).
_RUN = re.compile(r"(?<![\w.,-])\d{9,20}(?![\w-])(?![.,]\d)")
_ACCOUNT_GROUPED = re.compile(r"(?<![\w.,-])\d{5}[ .]\d{3}[ .]\d[ .]\d{4}[ .]\d{7}(?![\w-])")
_SNILS_GROUPED = re.compile(r"(?<![\w.,-])\d{3}-\d{3}-\d{3}[ -]\d{2}(?![\w-])(?![.,]\d)")
# Russian passport: series (2+2 digits) and number (6), written «4510 123456» or «45 10 № 123456».
_PASSPORT_RU = re.compile(r"(?<![\w.,/-])\d{2} ?\d{2} (?:№ ?)?\d{6}(?![\w-])(?![.,]\d)")

_I = re.IGNORECASE
_SEP = r"[\s:#№.=\-–—]*"
# Up to two words between a keyword and its value («паспорт гражданина РФ 4510 123456»).
_WORDS = r"(?:[^\W\d_]{1,12}\.?\s+){0,2}"


def _announced(words: str, value: str) -> re.Pattern[str]:
    """A value right after one of `words` (only the value is the match's group 1)."""
    return re.compile(rf"(?<!\w)(?:{words}){_SEP}{_WORDS}(?:(?:{keywords.NUMBER}){_SEP})?({value})", _I)


# (kind, pattern): keyword-announced values, matched case-insensitively.
_ANNOUNCED = (
    ("passport", _announced(keywords.PASSPORT, keywords.PASSPORT_VALUE)),
    ("snils", _announced(keywords.SNILS, r"\d{3}-?\d{3}-?\d{3}[ -]?\d{2}(?!\d)|\d{3}-\d{2}-\d{4}(?!\d)")),
    ("kpp", _announced(keywords.KPP, r"\d{4}[\dA-Z]{2}\d{3}(?!\w)")),
    ("bik", _announced(keywords.BIK, r"\d{9}(?!\d)|[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?(?!\w)")),
    ("account", _announced(keywords.ACCOUNT, r"\d{5}[ .]\d{3}[ .]\d[ .]\d{4}[ .]\d{7}(?!\d)|\d{6,20}(?!\d)")),
    ("inn", _announced(keywords.INN, r"\d{2}-\d{7}(?!\d)|\d{2} ?\d{3} ?\d{3} ?\d{3}(?!\d)|\d{8,12}(?!\d)")),
)
# «ИНН/КПП 7702456781/770201001»: one keyword pair, two values.
_INN_KPP = re.compile(
    rf"(?<!\w)(?:{keywords.INN_KPP}){_SEP}" + r"(\d{10}|\d{12})\s*/\s*(\d{4}[\dA-Z]{2}\d{3})(?!\w)", _I
)


@dataclass(frozen=True, order=True)
class Found:
    start: int
    end: int
    kind: str


def _links_and_emails(text: str) -> Iterator[Found]:
    for start, end, url in urls(text):
        if is_personal_link(url):
            yield Found(start, end, "link")
    for match in _EMAIL.finditer(text):
        yield Found(match.start(), match.end(), "email")


def _bank(text: str) -> Iterator[Found]:
    for match in _IBAN.finditer(text):
        groups = match.group(0).split(" ")
        for n in range(len(groups), 0, -1):  # the longest prefix that is an IBAN (words may follow it)
            candidate = " ".join(groups[:n])
            if len(candidate.replace(" ", "")) >= 15 and checks.iban(candidate):
                yield Found(match.start(), match.start() + len(candidate), "iban")
                break
    for match in _CARD.finditer(text):
        if checks.card(checks.digits(match.group(0))):
            yield Found(match.start(), match.end(), "card")
    for match in _ACCOUNT_GROUPED.finditer(text):
        yield Found(match.start(), match.end(), "account")


_BY_LENGTH = {10: ("inn", checks.inn), 12: ("inn", checks.inn), 13: ("ogrn", checks.ogrn), 15: ("ogrn", checks.ogrn)}


_AFTER_ORDER = re.compile(rf"(?<!\w)(?:{keywords.ORDER}){_SEP}$", _I)


def _numbers(text: str) -> Iterator[Found]:
    """Bare digit runs that are identifiers by their length and check digits (unless announced as an order)."""
    for match in _RUN.finditer(text):
        number = match.group(0)
        if _AFTER_ORDER.search(text, max(0, match.start() - 30), match.start()):
            continue
        kind, valid = _BY_LENGTH.get(len(number), ("", None))
        if valid is not None and valid(number):
            yield Found(match.start(), match.end(), kind)
        elif len(number) == 11 and checks.snils(number):
            yield Found(match.start(), match.end(), "snils")
        elif len(number) == 20:
            yield Found(match.start(), match.end(), "account")
        elif len(number) == 9 and number.startswith("04"):  # every Russian БИК starts with 04
            yield Found(match.start(), match.end(), "bik")
    for match in _SNILS_GROUPED.finditer(text):
        if checks.snils(checks.digits(match.group(0))):
            yield Found(match.start(), match.end(), "snils")
    for match in _PASSPORT_RU.finditer(text):
        yield Found(match.start(), match.end(), "passport")


def _keyworded(text: str) -> Iterator[Found]:
    for kind, pattern in _ANNOUNCED:
        for match in pattern.finditer(text):
            yield Found(match.start(1), match.end(1), kind)
    for match in _INN_KPP.finditer(text):
        yield Found(match.start(1), match.end(1), "inn")
        yield Found(match.start(2), match.end(2), "kpp")


# A run of digits and phone punctuation: the matcher reads a number followed by more digits
# («+375 29 123-45-67 18.01.2025», «… 2 шт.») as one longer candidate and rejects it whole.
_PHONE_RUN = re.compile(r"(?<![\w+])\+?\d[\d ().\-]{5,40}\d")


_DECIMAL = re.compile(r"\d+[.,]\d+")  # «47100000.25» is an amount, not (471) 000-00-25


def _matched(text: str, region: str | None, offset: int = 0) -> list[Found]:
    matcher = phonenumbers.PhoneNumberMatcher(text, region or "ZZ", leniency=phonenumbers.Leniency.VALID)
    return [Found(offset + m.start, offset + m.end, "phone") for m in matcher if not _DECIMAL.fullmatch(m.raw_string)]


_MAX_RUNS = 200  # runs re-tried per text: real deals have a few; a pasted table must not cost minutes
_MAX_GROUPS = 7  # «+7 909 726 01 77» is 5 groups; a number spans at most 7 in any format


def _phones(text: str, region: str | None) -> list[Found]:
    """Valid numbers (libphonenumber's matcher), also those next to other digits: the matcher reads
    «R650 8 909 …», «этаж 3 8 909 …» or «… 18.01.2025» as one candidate and rejects it whole."""
    found = _matched(text, region)
    runs = [
        run for run in _PHONE_RUN.finditer(text) if not any(f.start < run.end() and run.start() < f.end for f in found)
    ]
    for run in runs[:_MAX_RUNS]:
        found += _in_run(run.group(0), run.start(), region)
    return found


def _possible(candidate: str, region: str | None) -> bool:
    """A cheap test before the matcher: libphonenumber parses it into a valid number."""
    if not 7 <= sum(ch.isdigit() for ch in candidate) <= 17:
        return False
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(candidate, region or "ZZ"))
    except phonenumbers.NumberParseException:
        return False


def _in_run(run: str, offset: int, region: str | None) -> list[Found]:
    """The longest stretch of whole groups of `run` that is a number; of two, one starting like a number."""
    groups = [(m.start(), m.end()) for m in re.finditer(r"\S+", run)]
    for size in range(min(len(groups), _MAX_GROUPS), 0, -1):
        starts = sorted(range(len(groups) - size + 1), key=lambda i: (run[groups[i][0]] not in "+80(", i))
        for i in starts:
            start, end = groups[i][0], groups[i + size - 1][1]
            candidate = run[start:end].rstrip(",.-")
            hits = _matched(candidate, region, offset + start) if _possible(candidate, region) else []
            if hits:
                return hits
    return []


def _resolved(candidates: list[Found], protected: list[tuple[int, int]]) -> list[Found]:
    """Non-overlapping matches: identifiers, links and e-mails first (the longest first), then phone numbers.

    A phone number never outranks an identifier it overlaps: the matcher may read «КПП 770201001 18»
    as one longer number. Numbers inside a kept (project) link are left alone.
    """
    chosen: list[Found] = []
    ordered = sorted(candidates, key=lambda f: (f.kind == "phone", f.start - f.end, _RANK[f.kind], f.start))
    for found in ordered:
        if found.kind not in _TEXTUAL and any(s <= found.start and found.end <= e for s, e in protected):
            continue
        if all(found.end <= c.start or c.end <= found.start for c in chosen):
            chosen.append(found)
    return sorted(chosen)


def find(text: str, region: str | None = "RU") -> list[Found]:
    """Every personal or financial value in `text`, in order; `region` is an ISO country code or None."""
    if not text:
        return []
    candidates = [
        *_links_and_emails(text),
        *_bank(text),
        *_numbers(text),
        *_keyworded(text),
        *_phones(text, region),
    ]
    kept_links = [(s, e) for s, e, url in urls(text) if not is_personal_link(url)]
    return _resolved(candidates, kept_links)
