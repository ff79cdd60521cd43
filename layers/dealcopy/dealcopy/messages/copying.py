"""Messages of the `copying` area (code -> (ru, en))."""

MESSAGES: dict[str, tuple[str, str]] = {}
