"""Messages of the `amo` area: how a failure of amoCRM itself is told to the user (code -> (ru, en))."""

MESSAGES: dict[str, tuple[str, str]] = {
    "amocrm-unavailable": (
        "amoCRM сейчас недоступен. Повторите через минуту.",
        "amoCRM is unavailable right now. Please retry in a minute.",
    ),
    "amocrm-uncertain": (
        "amoCRM не ответил вовремя; копия могла быть создана. Проверьте сделки, прежде чем повторять.",
        "amoCRM did not answer in time; the copy may have been created. Check the deals before retrying.",
    ),
    "amocrm-blocked": (
        "amoCRM отказал виджету в доступе к аккаунту (интеграция заблокирована или у неё нет прав). "
        "Повторите позже или обратитесь к администратору аккаунта.",
        "amoCRM refused the widget access to the account (the integration is blocked or lacks rights). "
        "Retry later or ask the account's administrator.",
    ),
    "amocrm-unpaid": (
        "Аккаунт amoCRM не оплачен: amoCRM не выполняет запросы виджета.",
        "The amoCRM account is unpaid: amoCRM does not serve the widget's requests.",
    ),
    "amocrm-not-found": (
        "amoCRM не нашёл запрошенный объект (код {status}).",
        "amoCRM did not find what was asked for (status {status}).",
    ),
    "amocrm-error": (
        "amoCRM ответил ошибкой {status}. Повторите позже.",
        "amoCRM answered with error {status}. Please retry later.",
    ),
    "reinstall-required": (
        "Доступ виджета к amoCRM отозван. Администратору нужно переустановить виджет.",
        "The widget's access to amoCRM was revoked. An administrator must reinstall the widget.",
    ),
    "token-temporary": (
        "Не удалось получить ключ доступа к amoCRM. Повторите через минуту.",
        "Could not get an access key for amoCRM. Please retry in a minute.",
    ),
}
