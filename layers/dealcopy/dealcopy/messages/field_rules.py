"""Messages of field rules (copying/field_rules.py, copying/field_plan.py) and write-back (code -> (ru, en))."""

MESSAGES: dict[str, tuple[str, str]] = {
    "field-rule-one-action": (
        "укажите для поля одно действие: set, clear, template или map",
        "give the field exactly one action: set, clear, template or map",
    ),
    "field-rule-duplicate": ("для этого поля правило уже задано", "this field already has a rule"),
    "field-rule-cannot-set": (
        "полю «{field}» (тип {type}) нельзя задать значение, только очистить",
        "field '{field}' (type {type}) cannot be set, only cleared",
    ),
    "field-rule-expects-text": ("поле «{field}»: ожидается непустой текст", "field '{field}': non-empty text expected"),
    "field-rule-expects-number": ("поле «{field}»: ожидается число", "field '{field}': a number expected"),
    "field-rule-expects-bool": ("поле «{field}»: ожидается да/нет", "field '{field}': true or false expected"),
    "field-rule-expects-date": (
        "поле «{field}»: ожидается дата ГГГГ-ММ-ДД или метка времени",
        "field '{field}': a YYYY-MM-DD date or a Unix timestamp expected",
    ),
    "field-rule-expects-enum": (
        "поле «{field}»: ожидается id варианта этого поля",
        "field '{field}': an option id of this field expected",
    ),
    "field-rule-expects-enums": (
        "поле «{field}»: ожидаются id вариантов этого поля",
        "field '{field}': option ids of this field expected",
    ),
    "field-rule-template-not-text": (
        "шаблон можно задать только текстовому полю, а «{field}» имеет тип {type}",
        "only a text field takes a template; '{field}' is of type {type}",
    ),
    "field-rule-map-not-list": (
        "замена вариантов возможна только для списков, а «{field}» имеет тип {type}",
        "only list fields map options; '{field}' is of type {type}",
    ),
    "field-rule-option-not-found": (
        "у поля «{field}» нет варианта #{enum_id}",
        "field '{field}' has no option #{enum_id}",
    ),
    "field-rule-value-invalid": ("значение не подходит полю", "the value does not fit the field"),
    "field-rule-empty-value": ("значение пустое", "the value is empty"),
    "skip-field-cleared": ("очищено правилом копирования", "cleared by the copy rule"),
    # Write-back («Обновить исходную сделку», copying/write_back.py, jobs/steps/write_back.py).
    "write-back-empty": (
        "укажите поля исходной сделки или этап, куда её перевести",
        "give the origin's fields or the stage to move it to",
    ),
    "write-back-set-or-clear": (
        "в исходной сделке поле можно только задать (set) или очистить (clear)",
        "a field of the origin can only be set or cleared",
    ),
    "write-back-no-origin": (
        "исходная сделка не обновлена: эта сделка не копия, сделанная виджетом",
        "the origin was not updated: this lead is not a copy the widget made",
    ),
    "write-back-origin-gone": (
        "исходная сделка #{lead_id} не найдена: она удалена",
        "origin lead #{lead_id} was not found: it was deleted",
    ),
}
