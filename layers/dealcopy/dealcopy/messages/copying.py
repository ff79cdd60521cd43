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
    # Who may not copy what (CopyForbidden wordings, copying/rights.py; the code stays `forbidden`).
    "user-not-in-account": ("пользователь #{user_id} не найден в аккаунте", "user #{user_id} is not in the account"),
    "user-deactivated": ("пользователь «{user}» деактивирован", "user '{user}' is deactivated"),
    "may-not-view-lead": (
        "у пользователя «{user}» нет права просматривать сделку #{lead_id}",
        "user '{user}' may not view lead #{lead_id}",
    ),
    "may-not-add-leads": ("у пользователя «{user}» нет права создавать сделки", "user '{user}' may not add leads"),
    "may-not-work-in-stage": (
        "у пользователя «{user}» нет права работать со сделками на этапе «{pipeline}» / «{status}»",
        "user '{user}' may not work with leads in stage '{pipeline}' / '{status}'",
    ),
    # The responsible user of a copy (ResponsibleUnavailable wordings, copying/plan.py); {whose} is one of these.
    "whose-source": ("ответственный исходной сделки", "the source's responsible user"),
    "whose-fixed": ("ответственный из настроек", "the rule's responsible user"),
    "whose-actor": ("пользователь", "the user"),
    "responsible-not-in-account": (
        "{whose} #{user_id} не найден в аккаунте",
        "{whose} #{user_id} is not in the account",
    ),
    "responsible-deactivated": (
        "{whose} «{user}» деактивирован, поэтому копия не создана: выберите в поле «Ответственный» "
        "активного пользователя и повторите",
        "{whose} '{user}' is deactivated, so no copy was made: choose an active user in the Responsible field "
        "and try again",
    ),
    # A rule's problems (RuleProblem codes, copying/rules.py and whoever checks a rule or request).
    "rule-choose-user": ("укажите пользователя", "choose a user"),
    "rule-empty-name-template": (
        "Название копии пустое: впишите его или оставьте {{name}} (название исходной сделки).",
        "The copy's name is empty: type one or keep {{name}} (the source deal's name).",
    ),
    "unknown-time-zone": ("неизвестный часовой пояс {zone}", "unknown time zone {zone}"),
    "rule-anonymised-name": (
        "В названии обезличенной копии нельзя использовать {{name}}: название может раскрыть клиента. "
        "Уберите {{name}} из названия копии.",
        "An anonymised copy's name cannot use {{name}}: the source's name may identify the client. "
        "Remove {{name}} from the copy's name.",
    ),
    "rule-pipeline-not-found": ("воронка #{pipeline_id} не найдена", "pipeline #{pipeline_id} not found"),
    "rule-stage-not-in-pipeline": (
        "этап #{status_id} не найден в воронке «{pipeline}»",
        "stage #{status_id} is not in pipeline '{pipeline}'",
    ),
    "rule-incoming-stage": (
        "в «Неразобранное» сделки через API не создаются: выберите другой этап",
        "leads cannot be created in the incoming (unsorted) stage: choose another stage",
    ),
    "rule-user-not-found": ("пользователь #{user_id} не найден", "user #{user_id} not found"),
    "rule-user-deactivated": (
        "пользователь «{user}» деактивирован: выберите другого ответственного",
        "user '{user}' is deactivated: choose another responsible user",
    ),
    "rule-field-not-found": ("поле #{field_id} не найдено", "field #{field_id} not found"),
    "rule-field-not-url": (
        "поле «{field}» должно иметь тип «Ссылка» (url), а не {type}",
        "field '{field}' must be of type url, not {type}",
    ),
    "rule-stale-field": ("поле #{ref} не найдено в аккаунте", "field #{ref} not found"),
    "rule-stale-catalog": ("список #{ref} не найден в аккаунте", "catalog #{ref} not found"),
    "rule-preset-not-found": ("шаблон «{preset_id}» не найден", "preset '{preset_id}' not found"),
    "rule-not-json": ("настройки не в формате JSON", "the rule is not valid JSON"),
    "request-not-json": ("запрос не в формате JSON", "the request is not valid JSON"),
    # pydantic's error types, worded (copying/rules.py `problems_of`).
    "rule-required": ("обязательный параметр", "required"),
    "rule-unknown-setting": ("неизвестный параметр", "unknown setting"),
    "rule-integer-expected": ("ожидается целое число", "an integer is expected"),
    "rule-boolean-expected": ("ожидается да/нет", "true or false is expected"),
    "rule-string-expected": ("ожидается строка", "a string is expected"),
    "rule-list-expected": ("ожидается список", "a list is expected"),
    "rule-object-expected": ("ожидается объект", "an object is expected"),
    "rule-unexpected-value": ("недопустимое значение", "unexpected value"),
    # Name templates (copying/naming.py TemplateError).
    # Each names its subject (the copy's name), so a listing shows it without a path.
    "template-syntax": (
        "В названии копии непарная фигурная скобка. Подстановки пишутся так: {{name}}; "
        "чтобы оставить саму скобку, напишите её дважды.",
        "The copy's name has an unmatched curly brace. Placeholders are written like {{name}}; "
        "to keep a brace itself, type it twice.",
    ),
    "template-unknown-placeholder": (
        "В названии копии есть неизвестная подстановка {shown}. Доступны: {allowed}. Исправьте название копии.",
        "The copy's name has an unknown placeholder {shown}. Available: {allowed}. Correct the copy's name.",
    ),
    # What a rule error's path means, in a listing of them (copying/errors.py `listing`).
    "rule-path-name_template": ("Название копии", "Copy name"),
    "rule-path-pipeline_id": ("Воронка", "Pipeline"),
    "rule-path-status_id": ("Этап", "Stage"),
    "rule-path-responsible": ("Ответственный", "Responsible user"),
    "rule-path-fields": ("Поля", "Fields"),
    "rule-path-exclude_fields": ("Поля", "Fields"),
    "rule-path-catalogs": ("Списки", "Lists"),
    "rule-path-exclude_catalogs": ("Списки", "Lists"),
    "rule-path-add_tags": ("Теги", "Tags"),
    "rule-path-timezone": ("Часовой пояс", "Time zone"),
    "rule-path-source_link_field_id": ("Поле ссылки на исходную сделку", "Source link field"),
    "anonymised-default-name": ("Копия сделки #{{id}}", "Copy of lead #{{id}}"),  # a name template itself
    # Why something was not copied (Skip.reason, copying/plan.py and engine.py).
    "skip-not-selected": ("не выбрано в настройках копирования", "not selected in the copy rule"),
    "skip-field-deleted": ("поле #{field_id} удалено из аккаунта", "field #{field_id} was deleted from the account"),
    "skip-field-empty": ("поле пустое", "the field is empty"),
    "skip-catalog-deleted": ("список #{catalog_id} не найден", "catalog #{catalog_id} not found"),
    "skip-value-rejected": ("amoCRM не принял значение: {detail}", "amoCRM refused the value: {detail}"),
    "skip-links-failed": (
        "amoCRM не принял товары и элементы списков: {detail}",
        "amoCRM refused the catalog elements: {detail}",
    ),
    "skip-notes-failed": ("amoCRM не принял примечания: {detail}", "amoCRM refused the notes: {detail}"),
    # A stored value that cannot be written back (copying/fields.py ValueNotCopyable).
    "value-not-a-number": ("значение не является числом", "the value is not a number"),
    "value-unknown-date": ("дата в неизвестном формате", "date in an unknown format"),
    "value-option-gone": ("вариант «{value}» больше не существует", "option '{value}' no longer exists"),
    "value-option-id-gone": ("вариант #{enum_id} больше не существует", "option #{enum_id} no longer exists"),
    "value-unexpected-shape": ("значение неожиданной формы", "the value has an unexpected shape"),
    "value-lacks": ("в значении нет {missing}", "the value lacks {missing}"),
    "value-no-list-element": ("нет элемента списка", "no list element in the value"),
    "value-type-unsupported": ("тип поля «{type}» не поддерживается", "field type '{type}' is unsupported"),
    # The notes that tie a copy to its source (copying/notes.py); {id} and {url} name the other lead.
    "note-service-name": ("Копия сделки", "Deal copy"),
    "note-on-source": ("Копия сделки: #{id} — {url}", "Copy of this lead: #{id} — {url}"),
    "note-on-copy": ("Создана из сделки #{id} — {url}", "Created from lead #{id} — {url}"),
    # ... and by name where it is known (an anonymised copy never names its source)
    "note-on-source-named": ("Копия сделки: «{name}» (#{id}) — {url}", "Copy of this lead: “{name}” (#{id}) — {url}"),
    "note-on-copy-named": (
        "Создана из сделки «{name}» (#{id}) — {url}",
        "Created from lead “{name}” (#{id}) — {url}",
    ),
    # Standard lead fields in the widget's tree (settings_view.py).
    "standard-field-name": ("Название", "Name"),
    "standard-field-price": ("Бюджет", "Budget"),
    "standard-field-tags": ("Теги", "Tags"),
    "standard-field-contacts": ("Контакты", "Contacts"),
    "standard-field-company": ("Компания", "Company"),
    # Fields amoCRM never writes for this account (known from the metadata or its first refusal).
    "field-not-writable": (
        "не копируется: amoCRM не даёт записать это поле через API",
        "not copyable: amoCRM does not let this field be written through the API",
    ),
}
