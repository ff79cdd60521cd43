"""Words that announce an identifier in free text, as managers type them (Russian, Belarusian,
Ukrainian, Kazakh in Cyrillic, German and English). Data the detector recognises, not words for people.

Each is a regular-expression alternation matched case-insensitively, at the start of a word.
"""

from __future__ import annotations

PASSPORT = r"паспорт\w*|пашпарт\w*|passport\w*|reisepass\w*|personalausweis\w*|pass-?nr\.?|удостоверени\w*|посвідчен\w*"
SNILS = r"снилс|страхов\w* номер|ssn|social security(?: number)?"
KPP = r"кпп|kpp"
BIK = r"бик|bik|bic|swift|routing(?: number)?|aba"
ACCOUNT = (
    r"р/с|р\.с\.|расч\.?\s*сч\.?|расч[её]тн\w* сч[её]т\w*|к/с|корр?\.?\s*сч[её]т\w*|л/с|лицев\w* сч[её]т\w*"
    r"|рахун\w*|konto(?:nummer)?|account\s*(?:no|number|#)?"
)
INN = r"инн|іпн|рнокпп|унп|иин|бин|inn|tin|steuer-?id|ein"
INN_KPP = r"инн\s*/\s*кпп|inn\s*/\s*kpp"
# Words between a keyword and its value: «паспорт серия и номер 4510 123456».
NUMBER = r"серия и номер|серия|series and number|no|nr"
# Passport numbers after the keyword: Russian series + number, two letters + 6-7 digits (BY, UA),
# a letter + 8 digits (KZ), nine characters of the German alphabet or nine digits (DE, US, UA ID cards).
PASSPORT_VALUE = (
    r"\d{2} ?\d{2} ?(?:(?:номер|№|no\.?|nr\.?)\s*)?\d{6}(?!\d)"
    r"|[A-ZА-ЯІЇЄ]{2} ?\d{6,7}(?!\w)|[A-Z]\d{8}(?!\w)|(?=[A-Z0-9]{0,8}\d)[CFGHJKLMNPRTVWXYZ0-9]{9}(?!\w)"
)
# Words that announce a number as an order, a shipment or a part, not a person: a digit run right
# after them is never read as an identifier by its length alone (a 20-digit DHL number, a 10-digit PO).
ORDER = (
    r"трек\w*|заказ\w*|замовлен\w*|замова|ттн|накладн\w*|сдэк|cdek|артикул\w*|партия|тикет|заявк\w*"
    r"|order|tracking|track|po|sku|invoice|case|ticket|s/n|p/n|part no\.?"
    r"|sendungsnummer|bestell\w*|lieferschein|rechnung|artikelnummer|charge"
)
