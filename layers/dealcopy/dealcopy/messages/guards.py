"""Words of the guards against replays and overreach: stale hooks, unconfirmed stages, preset rights."""

MESSAGES = {
    "stale-event": (
        "Время события хука ({event_time}) вне допустимого окна (не раньше чем за 24 часа и не позже чем через "
        "5 минут от текущего времени): повтор старого хука не выполняется.",
        "The hook's event time ({event_time}) is outside the accepted window (at most 24 hours ago, at most "
        "5 minutes ahead): an old hook is not replayed.",
    ),
    "stage_not_reached": (
        "Сделка #{lead_id} не была на этапе «{stage}» около времени события хука: копия не создаётся.",
        "Lead #{lead_id} was not in stage “{stage}” around the hook's event time: no copy is made.",
    ),
    "preset-forbidden": (
        "Общие шаблоны меняет и удаляет только администратор; личный шаблон — только его владелец.",
        "Only an administrator changes or deletes shared presets; a personal preset only its owner.",
    ),
}
