"""Messages of the HTTP edge: refused requests, sessions, presets (code -> (ru, en))."""

MESSAGES: dict[str, tuple[str, str]] = {
    "unknown-error": ("Непредвиденная ошибка. Повторите позже.", "Unexpected error. Please retry later."),
    "not-found": ("Такого адреса нет.", "No such route."),
    "bad-json": ("Тело запроса — не JSON.", "The request body is not JSON."),
    "bad-encoding": (
        "Тело запроса не в кодировке UTF-8.",
        "The request body is not UTF-8 text.",
    ),
    "body-too-large": (
        "Тело запроса больше {limit} КБ.",
        "The request body is larger than {limit} KB.",
    ),
    "bad-request": ("Запрос заполнен неверно: {fields}", "The request is invalid: {fields}"),
    "unauthenticated": (
        "Запрос не подтверждён amoCRM ({reason}). Обновите страницу.",
        "The request is not authenticated by amoCRM ({reason}). Reload the page.",
    ),
    "not-installed": (
        "Виджет не установлен в этом аккаунте или был отключён. Установите его заново.",
        "The widget is not installed in this account or was disabled. Install it again.",
    ),
    "licence-expired": (
        "Срок действия лицензии «Копия сделки» истёк. Продлите подписку, чтобы копировать сделки.",
        "The Deal Copy licence has expired. Renew the subscription to copy deals.",
    ),
    "bad-preset-id": (
        "Идентификатор шаблона: латиница, цифры, «-» и «_», до 64 символов.",
        "A preset id is 1-64 letters, digits, '-' or '_'.",
    ),
    "bad-lead-id": ("ожидается номер сделки", "lead_id must be a positive integer"),
    "bad-id": ("неверный идентификатор", "invalid id"),
    "preset-not-found": ("Шаблон «{preset_id}» не найден.", "Preset '{preset_id}' not found."),
    "admin-only": (
        "Настраивать цифровую воронку может только администратор аккаунта.",
        "Only an account administrator can configure the Digital Pipeline.",
    ),
    "in-progress": ("Эта копия уже создаётся, подождите.", "This copy is already being made; please wait."),
    "queue-unavailable": (
        "Очередь копий сейчас недоступна. Повторите через минуту.",
        "The copy queue is unavailable right now. Please retry in a minute.",
    ),
    # HTML pages after the OAuth redirect (title and text each).
    "page-install-cancelled-title": ("Установка отменена", "Installation cancelled"),
    "page-install-cancelled": (
        "Доступ не предоставлен, виджет не установлен. Его можно установить снова в amoMarket.",
        "Access was not granted, so the widget is not installed. You can install it again from amoMarket.",
    ),
    "page-install-failed-title": ("Установка не удалась", "Installation failed"),
    "page-amocrm-unavailable-title": ("amoCRM недоступен", "amoCRM unavailable"),
    "page-amocrm-unavailable": (
        "Не удалось связаться с amoCRM. Повторите установку через несколько минут.",
        "Could not reach amoCRM. Please retry the installation in a few minutes.",
    ),
    "page-installed-title": ("Виджет «Копия сделки» установлен", "Deal Copy widget installed"),
    "page-installed": (
        "Можно закрыть эту вкладку и вернуться в amoCRM.",
        "You can close this tab and return to amoCRM.",
    ),
}
