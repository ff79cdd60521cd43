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
    "repeat-not-found": ("Повтор не найден", "The repeat was not found"),
    "scheduled-copy-not-found": ("Отложенная копия не найдена", "The scheduled copy was not found"),
    "repeat-source-deleted": (
        "Повтор остановлен: исходная сделка удалена",
        "The repeat stopped: the source deal was deleted",
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
}
