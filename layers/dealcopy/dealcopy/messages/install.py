"""Messages of the `install` area (code -> (ru, en))."""

MESSAGES: dict[str, tuple[str, str]] = {}
