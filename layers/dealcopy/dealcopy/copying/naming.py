"""Name templates of copies: `{name}`, `{id}`, `{pipeline}`, `{date}`, `{n}` and nothing else.

`{n}` is a repeat's occurrence number (the repeat fills it in, with `{date}` = the occurrence's
date, before the copy is planned); elsewhere it renders empty.

Validation happens when a rule is saved, so a copy never fails on a typo in a template.
`{{` and `}}` stand for literal braces (Python format syntax).
"""

from __future__ import annotations

import re
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


# A field template (a field rule's `template`) may also pull in a source field's value: `{source.<field id>}`.
SOURCE_FIELD = re.compile(r"source\.(\d{1,12})")


def _parts(template: str) -> list[tuple[str, str | None, str | None, str | None]]:
    try:
        return list(string.Formatter().parse(template))
    except ValueError as err:
        raise TemplateError("template-syntax", error=str(err)) from err


def placeholders(template: str, *, source_fields: bool = False) -> set[str]:
    """Placeholder names used by `template`; raises `TemplateError` on bad syntax or unknown names.

    `source_fields`: `{source.<field id>}` is allowed too (field templates, not names).
    """
    used = set()
    names = [*PLACEHOLDERS, *(["source.<field_id>"] if source_fields else [])]
    allowed = ", ".join("{" + p + "}" for p in names)
    for _, field_name, spec, conversion in _parts(template):
        if field_name is None:
            continue
        known = field_name in PLACEHOLDERS or (source_fields and SOURCE_FIELD.fullmatch(field_name) is not None)
        if not known or spec or conversion:
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
    rendered = render(template, {"name": name, "id": lead_id, "pipeline": pipeline, "date": local_date(now, tz)})
    return " ".join(rendered.split())[:MAX_NAME_LENGTH]


def local_date(now: datetime, tz: str) -> str:
    """`{date}`: dd.mm.yyyy in `tz` (`now` timezone-aware)."""
    return now.astimezone(zone(tz)).strftime("%d.%m.%Y")


def render(template: str, values: dict[str, object]) -> str:
    """`template` (already validated) with each placeholder replaced by its value; a missing one renders empty."""
    out = []
    for literal, field_name, _, _ in _parts(template):
        out.append(literal)
        if field_name is not None:
            out.append(str(values.get(field_name, "")))
    return "".join(out)
