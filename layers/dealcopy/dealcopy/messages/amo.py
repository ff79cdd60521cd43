"""Messages of the `amo` area (code -> (ru, en))."""

MESSAGES: dict[str, tuple[str, str]] = {}
