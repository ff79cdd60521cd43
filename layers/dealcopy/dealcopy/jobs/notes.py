"""Service notes a job leaves on its source lead when it does not end in a copy.

Russian for amoCRM (.ru) accounts and English for Kommo, like the copy notes. They say
what failed, why, and what the user can do; nothing in them is personal data.
"""

from __future__ import annotations

from typing import Any

from dealcopy.copying.notes import NOTE_TYPE, SERVICE_NAME
from dealcopy.jobs.failures import job_error
from dealcopy.jobs.model import JobError, JobRecord

_WHAT = {
    "dp": ("Автоматическая копия сделки (цифровая воронка) не создана", "The automatic copy (Digital Pipeline) failed"),
    "bulk": ("Копия сделки (массовое копирование) не создана", "The copy (bulk copy) failed"),
    "manual": ("Копия сделки не создана", "The copy failed"),
}
_STOPPED = ("Автоматическое копирование остановлено", "Automatic copying stopped")
_UNCERTAIN = (
    "amoCRM не подтвердил создание копии; она могла быть создана — проверьте целевой этап, прежде чем повторять.",
    "amoCRM did not confirm the copy; it may exist — check the target stage before retrying.",
)


def job_note(record: JobRecord, error: JobError, lang: str, *, stopped: bool = False) -> dict[str, Any]:
    """The service note for `record`'s source lead."""
    ru = lang != "en"
    title = _STOPPED if stopped else _WHAT.get(record.trigger, _WHAT["manual"])
    parts = [title[0 if ru else 1] + ": " + (error.message_ru if ru else error.message_en).rstrip(".") + "."]
    if record.event is not None and not stopped:
        parts.append(
            f"Событие: сделка вошла в этап #{record.event.status_id} воронки #{record.event.pipeline_id}."
            if ru
            else f"Event: the lead entered stage #{record.event.status_id} of pipeline #{record.event.pipeline_id}."
        )
    if not stopped:
        parts.append(f"Попыток: {record.attempts}." if ru else f"Attempts: {record.attempts}.")
        if record.state.value == "creating" and record.attempt_at is not None:
            parts.append(_UNCERTAIN[0 if ru else 1])
    parts.append(f"Код: {error.code}" if ru else f"Code: {error.code}")
    return {
        "entity_id": record.lead_id,
        "note_type": NOTE_TYPE,
        "params": {"service": SERVICE_NAME.get(lang, SERVICE_NAME["ru"]), "text": " ".join(parts)},
    }


def loop_depth_error(depth: int, limit: int) -> JobError:
    return job_error("loop_depth", depth=depth, limit=limit)


def loop_cycle_error() -> JobError:
    return job_error("loop_cycle")
