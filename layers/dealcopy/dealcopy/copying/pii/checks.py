"""Check digits of the identifiers the detector validates.

ИНН, IBAN and the Luhn digit of bank cards come from `python-stdnum` (maintained, per-country
IBAN lengths and formats). СНИЛС has no maintained implementation, so it is here; so is ОГРН:
stdnum 2.2 compares an ОГРНИП's digit with the remainder mod 13 itself, so the ОГРНИП whose
remainder is 10-12 (the rule takes it mod 10) would be missed.
"""

from __future__ import annotations

from stdnum import iban as _iban
from stdnum import luhn as _luhn
from stdnum.ru import inn as _inn

# Issuer prefixes of bank cards (Mir 2200-2204, Visa 4, Mastercard 2221-2720/51-55, Maestro 50/56-69,
# UnionPay 62, Amex 34/37, Diners 30/36/38, JCB 35, Belkart 9112): the first digits of any card.
_CARD_FIRST = ("2", "3", "4", "5", "6", "9112")


def digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def inn(number: str) -> bool:
    """A Russian ИНН of an organisation (10 digits) or a person (12), check digits included."""
    return len(number) in (10, 12) and _inn.is_valid(number)


def ogrn(number: str) -> bool:
    """ОГРН (13 digits: the first 12 mod 11, mod 10) or ОГРНИП (15: the first 14 mod 13, mod 10)."""
    if not number.isdigit() or len(number) not in (13, 15) or number[0] == "0":
        return False
    modulus = 11 if len(number) == 13 else 13
    return int(number[:-1]) % modulus % 10 == int(number[-1])


def snils(number: str) -> bool:
    """СНИЛС: 9 digits and a two-digit checksum (weights 9..1, mod 101, 100 written as 00)."""
    if len(number) != 11 or not number.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:9], range(9, 0, -1), strict=True))
    return f"{total % 101 % 100:02d}" == number[9:]


def card(number: str) -> bool:
    """A payment card number: 13-19 digits, a known issuer prefix and a valid Luhn digit."""
    return 13 <= len(number) <= 19 and number.startswith(_CARD_FIRST) and _luhn.is_valid(number)


def iban(text: str) -> bool:
    """An IBAN: the country's length and format and the mod-97 check digits."""
    return _iban.is_valid(text)
