"""Messages of preset locks (copying/rule_resolution.py, usecases/presets.py)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "rule-override-anonymise": (
        "шаблон обезличивает копию: обезличивание нельзя отключить",
        "the preset anonymises the copy: anonymisation cannot be switched off",
    ),
    "rule-override-locked": (
        "администратор закрепил «{field}» в шаблоне: это значение нельзя изменить",
        "an admin locked '{field}' in the preset: it cannot be overridden",
    ),
    "preset-lock-unknown": (
        "«{field}» не является параметром правила копирования",
        "'{field}' is not a setting of the copy rule",
    ),
    "preset-locks-shared-only": (
        "закреплять параметры можно только в общем шаблоне",
        "settings can be locked in a shared preset only",
    ),
}
