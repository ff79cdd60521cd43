"""Name templates of copies: `{name}`, `{id}`, `{pipeline}`, `{date}`, `{n}` and nothing else.

`{n}` is a repeat's occurrence number (the repeat fills it in, with `{date}` = the occurrence's
date, before the copy is planned); elsewhere it renders empty.

Validation happens when a rule is saved, so a copy never fails on a typo in a template.
`{{` and `}}` stand for literal braces (Python format syntax).
"""

from __future__ import annotations

import string
from datetime import datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

PLACEHOLDERS = ("name", "id", "pipeline", "date", "n")
DEFAULT_TIMEZONE = "Europe/Moscow"
MAX_NAME_LENGTH = 255  # amoCRM truncates longer lead names; we cut them ourselves
# Moscow has kept UTC+3 without DST since 2014: a safe fallback where tzdata is missing (Lambda images).
_FIXED_ZONES = {"Europe/Moscow": timezone(timedelta(hours=3), "MSK")}


class TemplateError(ValueError):
    """A template that cannot be rendered: a message catalog `code` and its `data`."""

    def __init__(self, code: str, /, **data: str) -> None:
        super().__init__(code)
        self.code = code
        self.data = data


def placeholders(template: str) -> set[str]:
    """Placeholder names used by `template`; raises `TemplateError` on bad syntax or unknown names."""
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as err:
        raise TemplateError("template-syntax", error=str(err)) from err
    used = set()
    allowed = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
    for _, field_name, spec, conversion in parts:
        if field_name is None:
            continue
        if field_name not in PLACEHOLDERS or spec or conversion:
            shown = "{" + field_name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            raise TemplateError("template-unknown-placeholder", shown=shown, allowed=allowed)
        used.add(field_name)
    return used


def zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        if name in _FIXED_ZONES:
            return _FIXED_ZONES[name]
        raise


def render_name(template: str, *, name: str, lead_id: int, pipeline: str, now: datetime, tz: str) -> str:
    """The copy's name; `now` must be timezone-aware, `{date}` is dd.mm.yyyy in `tz`."""
    placeholders(template)
    date = now.astimezone(zone(tz)).strftime("%d.%m.%Y")
    rendered = template.format(name=name, id=lead_id, pipeline=pipeline, date=date, n="")
    return " ".join(rendered.split())[:MAX_NAME_LENGTH]
