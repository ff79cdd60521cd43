"""Did the lead really enter the hook's stage? A signed DP rule is not a password for copying any lead.

A hook carries a signed rule but unsigned event fields (lead, pipeline, stage, time), so before a
DP job copies anything the worker confirms them with amoCRM:

- the lead is in the hook's stage now (read anyway for the copy plan: no extra request), or
- amoCRM's event feed shows it entering that stage within `SLACK` seconds of the event time:
  one `GET /api/v4/events?filter[entity]=lead&filter[entity_id][]=…&filter[type]=lead_status_changed,lead_added`
  with `filter[value_after][leads_statuses]` and `filter[created_at]` per 10 leads (amoCRM's docs
  allow at most 10 entity ids per filter, U). Whether `lead_added` carries `value_after.lead_status`
  is U: read if present.

A job whose stage is not confirmed stops with `stage_not_reached` (its record and an activity
entry say why); no note is written on the lead and nothing goes to the DLQ, so replayed hooks
cannot spam an account's leads or our operators. Jobs of the catch-up are not checked: their
events come from amoCRM's own feed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from dealcopy.copying.describe import stage_name
from dealcopy.copying.metadata import AccountMetadata, AmoApi
from dealcopy.copying.source import SourceLead
from dealcopy.jobs.failures import job_error
from dealcopy.jobs.work import Ending, Work

SLACK = 15 * 60  # how far the event's own time may be from the hook's event[time]
ENTITY_IDS_PER_REQUEST = 10
EVENTS_PAGE = 100


def confirm_stages(
    api: AmoApi,
    works: Sequence[Work],
    sources: Mapping[int, SourceLead],
    metadata: AccountMetadata | None = None,
) -> None:
    """Stop every DP job whose lead is not, and was not around the event time, in the hook's stage
    (named from `metadata`, the cached one: ids where it cannot name it)."""
    doubtful = [w for w in works if _doubtful(w, sources)]
    if not doubtful:
        return
    entered = _entries(api, doubtful)
    for work in doubtful:
        record, event = work.record, work.record.event
        assert event is not None
        seen = entered.get((record.lead_id, event.pipeline_id, event.status_id), [])
        if not any(abs(at - event.time) <= SLACK for at in seen):
            error = job_error(
                "stage_not_reached",
                lead_id=record.lead_id,
                stage=stage_name(metadata, event.pipeline_id, event.status_id),
            )
            work.end(Ending.STOP, error)


def _doubtful(work: Work, sources: Mapping[int, SourceLead]) -> bool:
    record, event = work.record, work.record.event
    if record.trigger != "dp" or event is None or record.origin == "catchup":
        return False
    source = sources.get(record.lead_id)
    return source is not None and (source.pipeline_id, source.status_id) != (event.pipeline_id, event.status_id)


def _entries(api: AmoApi, works: Sequence[Work]) -> dict[tuple[int, int, int], list[int]]:
    """(lead, pipeline, status) -> when amoCRM saw the lead enter that stage, near the jobs' event times."""
    times = [w.record.event.time for w in works if w.record.event is not None]
    stages = sorted({(w.record.event.pipeline_id, w.record.event.status_id) for w in works if w.record.event})
    leads = sorted({w.record.lead_id for w in works})
    found: dict[tuple[int, int, int], list[int]] = {}
    for start in range(0, len(leads), ENTITY_IDS_PER_REQUEST):
        params: dict[str, Any] = {
            "filter[entity]": "lead",
            "filter[type]": "lead_status_changed,lead_added",
            "filter[created_at][from]": min(times) - SLACK,
            "filter[created_at][to]": max(times) + SLACK,
        }
        for i, lead_id in enumerate(leads[start : start + ENTITY_IDS_PER_REQUEST]):
            params[f"filter[entity_id][{i}]"] = lead_id
        for i, (pipeline_id, status_id) in enumerate(stages):
            params[f"filter[value_after][leads_statuses][{i}][pipeline_id]"] = pipeline_id
            params[f"filter[value_after][leads_statuses][{i}][status_id]"] = status_id
        for event in api.paginate("/api/v4/events", "events", params, limit=EVENTS_PAGE):
            for lead_id, pipeline_id, status_id, at in _entered(event):
                found.setdefault((lead_id, pipeline_id, status_id), []).append(at)
    return found


def _entered(event: Any) -> Iterable[tuple[int, int, int, int]]:
    """Every stage an event says its lead entered (nothing for a malformed event)."""
    if not isinstance(event, dict):
        return
    try:
        lead_id, at = int(event.get("entity_id") or 0), int(event.get("created_at") or 0)
    except (TypeError, ValueError):
        return
    for value in event.get("value_after") or []:
        status = (value or {}).get("lead_status") if isinstance(value, dict) else None
        if isinstance(status, dict):
            try:
                yield lead_id, int(status.get("pipeline_id") or 0), int(status.get("id") or 0), at
            except (TypeError, ValueError):
                continue
