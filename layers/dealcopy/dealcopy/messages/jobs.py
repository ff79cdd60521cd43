"""Messages of the `jobs` area: copy jobs, bulk copies, DP hooks and rules (code -> (ru, en)).

Job errors (underscored codes) are stored in job records, activity and service notes as
clauses ("amoCRM is unavailable (…)"); the hyphenated codes are refusals of a request.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- why a job failed, stopped or waits (JobError) ---
    "reinstall_required": (
        "доступ виджета к amoCRM отозван — администратору нужно переустановить виджет",
        "the widget's access to amoCRM was revoked: an administrator must reinstall it",
    ),
    "account_unpaid": ("аккаунт amoCRM не оплачен", "the amoCRM account is unpaid"),
    "amocrm_uncertain": (
        "amoCRM не ответил на создание копии ({reason})",
        "amoCRM did not answer the create ({reason})",
    ),
    "amocrm_settling": (
        "ждём, пока amoCRM завершит неподтверждённое создание копии",
        "waiting for amoCRM to settle an unconfirmed create",
    ),
    "amocrm_unavailable": ("amoCRM недоступен ({reason})", "amoCRM is unavailable ({reason})"),
    "amocrm_error": ("amoCRM ответил ошибкой {status} {title}", "amoCRM answered {status} {title}"),
    "internal": ("внутренняя ошибка: {error}", "internal error: {error}"),
    "licence_expired": (
        "срок лицензии «Копия сделки» истёк — продлите подписку",
        "the Deal Copy licence has expired: renew the subscription",
    ),
    "account_inactive": (
        "виджет в аккаунте не активен ({state})",
        "the widget is not active in the account ({state})",
    ),
    "no_active_admin": (
        "в аккаунте нет активного администратора, от имени которого работает цифровая воронка",
        "the account has no active administrator for the Digital Pipeline to act as",
    ),
    "unfinished": ("задание не завершено", "the job did not finish"),
    "loop_depth": (
        "цепочка автоматических копий достигла предела ({limit}); копия уровня {depth} не создаётся",
        "the chain of automatic copies reached its limit ({limit}); a level-{depth} copy is not made",
    ),
    "loop_cycle": (
        "правило уже применялось в этой цепочке копий — правила цифровой воронки образуют цикл",
        "the rule already ran in this chain of copies: the Digital Pipeline rules form a cycle",
    ),
    # --- the service note a failed job leaves on its source lead (jobs/notes.py), one sentence each ---
    "note-failed-dp": (
        "Автоматическая копия сделки (цифровая воронка) не создана",
        "The automatic copy (Digital Pipeline) failed",
    ),
    "note-failed-bulk": ("Копия сделки (массовое копирование) не создана", "The copy (bulk copy) failed"),
    "note-failed-repeat": (
        "Повторная копия сделки (по расписанию) не создана",
        "The recurring copy (on schedule) failed",
    ),
    "note-failed-manual": ("Копия сделки не создана", "The copy failed"),
    "note-stopped": ("Автоматическое копирование остановлено", "Automatic copying stopped"),
    "note-event": (
        "Событие: сделка вошла в этап «{status}» воронки «{pipeline}».",
        "Event: the lead entered stage “{status}” of pipeline “{pipeline}”.",
    ),
    # when no cached metadata knows the stage (it was just dropped, or the stage is gone)
    "note-event-ids": (
        "Событие: сделка вошла в этап #{status_id} воронки #{pipeline_id}.",
        "Event: the lead entered stage #{status_id} of pipeline #{pipeline_id}.",
    ),
    "note-attempts": ("Попыток: {attempts}.", "Attempts: {attempts}."),
    "note-uncertain": (
        "amoCRM не подтвердил создание копии; она могла быть создана — проверьте целевой этап, прежде чем повторять.",
        "amoCRM did not confirm the copy; it may exist — check the target stage before retrying.",
    ),
    # last, after the words a manager acts on: the code is for support
    "note-code": ("Подробнее для поддержки: {error_code}", "Details for support: {error_code}"),
    # --- refused requests (DomainError); `in-progress` and `admin-only` are the edge's ---
    "key-reused": (
        "Ключ повтора уже использован для другого запроса.",
        "The idempotency key was already used for a different request.",
    ),
    "already-copied": (
        "Эти сделки уже скопированы по этому правилу: {already} из {total}. Если нужны ещё копии, подтвердите повтор.",
        "These deals were already copied with this rule: {already} of {total}. Confirm to make more copies.",
    ),
    "batch-not-found": ("Пакет копирования {batch_id} не найден.", "Bulk copy {batch_id} not found."),
    # --- DP hooks (`bad-json` and `reinstall-required` are the edge's: the same words everywhere) ---
    "empty-body": ("Пустой запрос.", "The request body is empty."),
    "bad-body": ("Ожидается объект.", "An object is expected."),
    "hook-field-required": ("обязательное поле", "required"),
    "bad-hook": ("Хук цифровой воронки заполнен неверно: {fields}", "The Digital Pipeline hook is invalid: {fields}"),
    "unsupported-entity": (
        "Копирование поддерживается только для сделок (element_type {lead}), а пришёл element_type {element_type}.",
        "Only leads (element_type {lead}) can be copied; got element_type {element_type}.",
    ),
    "unknown-account": (
        "Аккаунт {account_id} не устанавливал виджет «Копия сделки».",
        "Account {account_id} has not installed the Deal Copy widget.",
    ),
    "uninstalled": (
        "Виджет «Копия сделки» удалён или отключён в этом аккаунте; копия не создаётся.",
        "The Deal Copy widget is uninstalled or disabled in this account; no copy is made.",
    ),
    "account-mismatch": (
        "Поддомен хука не совпадает с аккаунтом.",
        "The hook's subdomain does not belong to its account.",
    ),
    "unsigned": (
        "В настройках действия цифровой воронки нет подписанного правила: откройте настройки виджета "
        "в цифровой воронке и сохраните их заново.",
        "The Digital Pipeline action has no signed rule: open the widget's DP settings and save them again.",
    ),
    "bad-signature": (
        "Подпись правила неверна (правило изменено вне виджета или подписано для другого аккаунта).",
        "The rule's signature does not match (edited outside the widget, or signed for another account).",
    ),
    "signature-key-retired": (
        "Правило подписано прежним секретным ключом интеграции, который больше не действует. "
        "Администратору: откройте это действие в Digital Pipeline и нажмите «Готово».",
        "The rule was signed with the integration's previous secret key, which is no longer accepted. "
        "Admin: open this action in the Digital Pipeline and press “Done”.",
    ),
}
