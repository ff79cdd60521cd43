"""Messages of the `copies` area: a manual copy that a retry with the same key will finish (code -> (ru, en))."""

MESSAGES: dict[str, tuple[str, str]] = {
    "copy-pending": (
        "Копия ещё создаётся. Повторите запрос с тем же ключом {idempotency_key} — он завершит эту копию,"
        " новую сделку не создаст.",
        "The copy is still being made. Retry with the same key {idempotency_key}: it finishes this copy"
        " and never creates another deal.",
    ),
    "copy-unfinished": (
        "Сделка-копия {lead_id} создана, но amoCRM временно не принял товары или примечания. Повторите запрос"
        " с тем же ключом {idempotency_key} — он завершит эту копию, новую сделку не создаст.",
        "The copy {lead_id} was created, but amoCRM did not take its catalog elements or notes for now."
        " Retry with the same key {idempotency_key}: it finishes this copy and never creates another deal.",
    ),
}
