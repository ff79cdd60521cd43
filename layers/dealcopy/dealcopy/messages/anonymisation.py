"""Messages of anonymised copies: the placeholders that replace masked values in the copy's text,
and why a value-based decision dropped a field (code -> (ru, en)). Policy: docs/anonymisation.md."""

MESSAGES: dict[str, tuple[str, str]] = {
    # What a masked value is replaced with, in the account's language (copying/pii/mask.py).
    "pii-phone": ("[телефон скрыт]", "[phone hidden]"),
    "pii-email": ("[e-mail скрыт]", "[e-mail hidden]"),
    "pii-link": ("[личная ссылка скрыта]", "[personal link hidden]"),
    "pii-iban": ("[IBAN скрыт]", "[IBAN hidden]"),
    "pii-card": ("[номер карты скрыт]", "[card number hidden]"),
    "pii-account": ("[номер счёта скрыт]", "[account number hidden]"),
    "pii-passport": ("[паспорт скрыт]", "[passport hidden]"),
    "pii-snils": ("[СНИЛС скрыт]", "[insurance number hidden]"),
    "pii-ogrn": ("[ОГРН скрыт]", "[registration number hidden]"),
    "pii-inn": ("[ИНН скрыт]", "[tax number hidden]"),
    "pii-kpp": ("[КПП скрыт]", "[KPP hidden]"),
    "pii-bik": ("[БИК скрыт]", "[bank code hidden]"),
    "anonymised-personal-link": (
        "обезличенная копия: ссылка на мессенджер, звонок, почту или профиль клиента",
        "anonymised copy: a link to the client's messenger, phone, mail or profile",
    ),
}
