"""Messages of the `copying` area (code -> (ru, en))."""

MESSAGES: dict[str, tuple[str, str]] = {
    # Why a copy could not be made (CopyError family, copying/errors.py; codes are stored in job records).
    "copy_error": ("копия не создана", "the copy was not made"),
    "rule_invalid": ("Настройки копирования неверны: {problems}", "The copy rule is invalid: {problems}"),
    "rule-problem": ("значение неверно", "invalid value"),
    "source_not_found": ("Сделка #{lead_id} не найдена", "Lead #{lead_id} was not found"),
    "forbidden": ("недостаточно прав для копирования", "not allowed to copy"),
    "responsible_unavailable": (
        "ответственный #{user_id} недоступен",
        "the responsible user #{user_id} is unavailable",
    ),
    "rejected": (
        "amoCRM отклонил создание копии сделки #{source_id}: {details}",
        "amoCRM rejected the copy of lead #{source_id}: {details}",
    ),
    "incomplete": (
        "Копия #{lead_id} создана, но шаг «{step}» не выполнен: {cause}",
        "Copy #{lead_id} was created but step '{step}' failed: {cause}",
    ),
    # Why an anonymised copy (manual 6.7) leaves something out (ANONYMISE: copying/classify.py, anonymise.py).
    "anonymised-requisites": ("обезличенная копия: реквизиты клиента", "anonymised copy: the client's requisites"),
    "anonymised-location": ("обезличенная копия: адрес или координаты", "anonymised copy: an address or coordinates"),
    "anonymised-map-link": ("обезличенная копия: ссылка на карту", "anonymised copy: a map link"),
    "anonymised-file": ("обезличенная копия: файл (договор, документ)", "anonymised copy: a file (contract, document)"),
    "anonymised-money": ("обезличенная копия: суммы и цены", "anonymised copy: amounts and prices"),
    "anonymised-personal": ("обезличенная копия: персональные данные", "anonymised copy: personal data"),
    "anonymised-looks-personal": (
        "обезличенная копия: значение похоже на реквизиты, телефон или e-mail",
        "anonymised copy: the value looks like requisites, a phone number or an e-mail",
    ),
    "anonymised-tracking": ("обезличенная копия: маркетинговые данные", "anonymised copy: tracking data"),
    "anonymised-linked-record": (
        "обезличенная копия: ссылка на счёт или договор",
        "anonymised copy: a link to an invoice or a contract",
    ),
    "anonymised-excluded": ("обезличенная копия: исключено правилом", "anonymised copy: excluded by the rule"),
    "anonymised-contacts": ("обезличенная копия: контакты клиента", "anonymised copy: the client's contacts"),
    "anonymised-company": ("обезличенная копия: компания клиента", "anonymised copy: the client's company"),
    "anonymised-budget": ("обезличенная копия: сумма сделки", "anonymised copy: the lead's amount"),
    "anonymised-tags": ("обезличенная копия: метки источника", "anonymised copy: the source's tags"),
    "anonymised-catalog": (
        "обезличенная копия: реквизиты, счета и другие списки",
        "anonymised copy: legal entities, invoices and other lists",
    ),
    "anonymised-products-off": (
        "обезличенная копия: товары не переносятся, пока их не выбрали явно",
        "anonymised copy: products are not carried unless chosen explicitly",
    ),
    "anonymised-products-carry-prices": (
        "Товары перенесены вместе с ценами: получатель копии увидит их стоимость",
        "Products are carried with their prices: whoever sees the copy sees what they cost",
    ),
    # Fields amoCRM never writes for this account (known from the metadata or its first refusal).
    "field-not-writable": (
        "не копируется: amoCRM не даёт записать это поле через API",
        "not copyable: amoCRM does not let this field be written through the API",
    ),
}
