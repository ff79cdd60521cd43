"""Messages of the HTTP edge (code -> (ru, en))."""

MESSAGES: dict[str, tuple[str, str]] = {
    "unknown-error": ("Непредвиденная ошибка. Повторите позже.", "Unexpected error. Please retry later."),
}
