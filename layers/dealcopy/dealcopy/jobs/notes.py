"""Service notes a job leaves on its source lead when it does not end in a copy.

Russian for amoCRM (.ru) accounts and English for Kommo, like the copy notes. They say
what failed, why, and what the user can do; nothing in them is personal data.
"""

from __future__ import annotations

from typing import Any

from dealcopy.copying.metadata import AccountMetadata
from dealcopy.copying.notes import NOTE_TYPE, SERVICE_NAME
from dealcopy.jobs.failures import job_error
from dealcopy.messages import text
from dealcopy.records.job import JobError, JobRecord
from dealcopy.records.job_message import DpEvent

_TRIGGERS = ("dp", "bulk", "repeat", "manual")  # each has its `note-failed-<trigger>` title


def job_note(
    record: JobRecord,
    error: JobError,
    lang: str,
    *,
    stopped: bool = False,
    metadata: AccountMetadata | None = None,
) -> dict[str, Any]:
    """The service note for `record`'s source lead (sentences from messages/jobs.py).

    `metadata` is what the engine has cached: it names the event's stage and pipeline.
    """
    title = "note-stopped" if stopped else f"note-failed-{record.trigger if record.trigger in _TRIGGERS else 'manual'}"
    why = error.message_en if lang == "en" else error.message_ru
    parts = [text(title, lang) + ": " + why.rstrip(".") + "."]
    if record.event is not None and not stopped:
        parts.append(_event(record.event, lang, metadata))
    if not stopped:
        parts.append(text("note-attempts", lang, attempts=record.attempts))
        if record.state.value == "creating" and record.attempt_at is not None:
            parts.append(text("note-uncertain", lang))
    # the code on a line of its own, labelled for support, after the words a manager acts on
    words = " ".join(parts) + "\n" + text("note-code", lang, error_code=error.code)
    return {
        "entity_id": record.lead_id,
        "note_type": NOTE_TYPE,
        "params": {"service": SERVICE_NAME.get(lang, SERVICE_NAME["ru"]), "text": words},
    }


def _event(event: DpEvent, lang: str, metadata: AccountMetadata | None) -> str:
    """The stage the lead entered, by name; by ids only when the cache does not know it."""
    status = metadata.status(event.pipeline_id, event.status_id) if metadata else None
    if metadata is None or status is None:
        return text("note-event-ids", lang, status_id=event.status_id, pipeline_id=event.pipeline_id)
    return text("note-event", lang, status=status.name, pipeline=metadata.pipelines[event.pipeline_id].name)


def loop_depth_error(depth: int, limit: int) -> JobError:
    return job_error("loop_depth", depth=depth, limit=limit)


def loop_cycle_error() -> JobError:
    return job_error("loop_cycle")
