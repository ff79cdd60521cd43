"""Messages of the `install` area: the OAuth redirect and the uninstall hook (code -> (ru, en))."""

MESSAGES: dict[str, tuple[str, str]] = {
    # Why an install failed (InstallRejected), shown on the page after the OAuth redirect.
    "install-rejected": ("Установка не удалась.", "The installation failed."),
    "bad-referer": (
        "Запрос пришёл не из аккаунта amoCRM/Kommo.",
        "The request does not come from an amoCRM/Kommo account.",
    ),
    "bad-code": ("Код авторизации отсутствует или повреждён.", "The authorization code is missing or malformed."),
    "install-in-progress": (
        "Установка ещё обрабатывается, обновите страницу через минуту.",
        "This install is still being processed; reload the page in a moment.",
    ),
    "code-rejected": (
        "amoCRM не принял код авторизации (истёк или уже использован). Установите виджет заново.",
        "amoCRM did not accept the authorization code (expired or already used). Install the widget again.",
    ),
    # The uninstall hook (UninstallIncomplete, UninstallRejected).
    "bad-uninstall-request": ("Не хватает параметров запроса.", "The request lacks parameters."),
    "bad-uninstall-signature": (
        "Подпись запроса на удаление виджета неверна.",
        "The uninstall request's signature does not match.",
    ),
}
