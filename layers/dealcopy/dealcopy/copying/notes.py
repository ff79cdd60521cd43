"""Lead URLs and the two service notes that tie a copy to its source.

A lead cannot be linked to another lead in amoCRM, so the link is a note on each side
(and optionally a url field on the copy). The notes name the other lead (a person reads
names, not numbers) with its number and URL; an anonymised copy's plan has no source name,
so its note says only the source's number.
"""

from __future__ import annotations

from typing import Any

from dealcopy.messages import LANGUAGES, text

# The author line of every service note we write, per language (words in messages/copying.py).
SERVICE_NAME = {lang: text("note-service-name", lang) for lang in LANGUAGES}
_ON_SOURCE = "note-on-source"
_ON_COPY = "note-on-copy"
# `service_message` shows `params.service` as the author line. `extended_service_message`
# (same params) may render better in the card feed; we keep the plain type until it is
# checked on a live account.
NOTE_TYPE = "service_message"


def lead_url(domain: str, lead_id: int) -> str:
    """`https://{account domain}/leads/detail/{id}`: the domain comes from amoCRM (referer/api_domain)."""
    host = domain.removeprefix("https://").removeprefix("http://").strip("/")
    return f"https://{host}/leads/detail/{lead_id}"


def language_of(domain: str) -> str:
    """Kommo accounts get English notes, amoCRM (.ru) accounts Russian."""
    return "en" if domain.rstrip("/").endswith("kommo.com") else "ru"


def _note(entity_id: int, code: str, other_id: int, other_name: str | None, domain: str, lang: str) -> dict[str, Any]:
    url = lead_url(domain, other_id)
    name = (other_name or "").strip()
    words = (
        text(f"{code}-named", lang, name=name, id=other_id, url=url) if name else text(code, lang, id=other_id, url=url)
    )
    return {
        "entity_id": entity_id,
        "note_type": NOTE_TYPE,
        "params": {"service": SERVICE_NAME.get(lang, SERVICE_NAME["ru"]), "text": words},
    }


def copy_notes(
    source_id: int, copy_id: int, domain: str, lang: str, names: tuple[str | None, str | None] = (None, None)
) -> list[dict[str, Any]]:
    """The note on the source («Копия сделки: «Имя копии» (#M)») and the one on the copy («Создана из
    сделки «Имя» (#N)»); `names` = (the source's, the copy's), each by number alone when unknown."""
    source_name, copy_name = names
    return [
        _note(source_id, _ON_SOURCE, copy_id, copy_name, domain, lang),
        _note(copy_id, _ON_COPY, source_id, source_name, domain, lang),
    ]
