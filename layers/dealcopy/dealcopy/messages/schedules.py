"""Messages of the `schedules` area (code -> (ru, en))."""

MESSAGES: dict[str, tuple[str, str]] = {
    "schedule-invalid": (
        "Расписание задано неверно ({paths})",
        "The schedule is invalid ({paths})",
    ),
    "idempotency-key-reused": (
        "Этот ключ идемпотентности уже использован для другого запроса",
        "This idempotency key was already used for another request",
    ),
    "schedule-bad-time": ("время «{value}» не в формате ЧЧ:ММ", "time '{value}' is not HH:MM (00:00-23:59)"),
    "schedule-start-out-of-range": (
        "дата начала должна быть между {first} и {last} годом",
        "the start date must fall between {first} and {last}",
    ),
    "schedule-until-before-start": ("дата окончания должна быть позже даты начала", "until must be after start"),
    "repeat-rule-or-preset": ("укажите одно: rule или preset_id", "give exactly one of rule or preset_id"),
    "repeat-overrides-need-preset": ("overrides применяются только к preset_id", "overrides need a preset_id"),
    "delay-not-positive": ("задержка должна быть больше нуля", "the delay must be longer than zero"),
    "delay-one-kind": ("укажите одно: after_event или field", "give exactly one of after_event or field"),
    "schedule-not-json": ("запрос не в формате JSON", "the request is not valid JSON"),
    "repeat-none-before-until": ("до даты окончания нет ни одного повтора", "no occurrence falls before until"),
    "repeat-all-past": ("все повторы уже в прошлом", "every occurrence is in the past"),
    "repeat-preset-not-found": ("шаблон «{preset_id}» не найден", "preset '{preset_id}' not found"),
    "delay-field-not-found": ("поле #{field_id} не найдено", "field #{field_id} not found"),
    "delay-field-not-date": (
        "поле «{name}» должно быть датой (date, date_time, birthday), а не {type}",
        "field '{name}' must hold a date (date, date_time, birthday), not {type}",
    ),
    "repeat-not-found": ("Повтор не найден", "The repeat was not found"),
    "scheduled-copy-not-found": ("Отложенная копия не найдена", "The scheduled copy was not found"),
    "scheduled-copy-firing": (
        "Отменить уже нельзя: время пришло, и копия сейчас создаётся. Если она не нужна, удалите её в amoCRM.",
        "Too late to cancel: the time has come and the copy is being made. Delete it in amoCRM if it is not needed.",
    ),
    "repeat-source-deleted": (
        "Повтор остановлен: исходная сделка удалена",
        "The repeat stopped: the source deal was deleted",
    ),
    "repeat-uninstalled": (
        "Повтор остановлен: виджет удаляли из аккаунта. Его можно возобновить",
        "The repeat stopped: the widget was uninstalled from the account. It can be resumed",
    ),
    "repeat-disconnected": (
        "Повтор остановлен: amoCRM отключил доступ виджета, нужна переустановка. Затем повтор можно возобновить",
        "The repeat stopped: amoCRM revoked the widget's access, it must be reinstalled. Then it can be resumed",
    ),
    "repeat-preset-deleted": (
        "Повтор остановлен: его шаблон копирования удалён",
        "The repeat stopped: its copy preset was deleted",
    ),
    "delayed-source-closed": (
        "Отложенная копия отменена: сделка закрыта",
        "The delayed copy was cancelled: the deal is closed",
    ),
    "delayed-field-empty": (
        "Отложенная копия отменена: в сделке не заполнено поле с датой",
        "The delayed copy was cancelled: the deal's date field is empty",
    ),
    "delayed-source-deleted": (
        "Отложенная копия отменена: сделка удалена",
        "The delayed copy was cancelled: the deal was deleted",
    ),
    "delayed-past-due": (
        "Отложенная копия должна была появиться {at}, но эта дата уже прошла, поэтому копия создана сразу",
        "The delayed copy was due {at}, which has already passed, so it was made right away",
    ),
}
