"""Messages of the `jobs` area (code -> (ru, en))."""

MESSAGES: dict[str, tuple[str, str]] = {}
