"""Which leads entered given stages in a time window: what the DP catch-up compares with its jobs.

Two documented reads:
- one `GET /api/v4/events?filter[type]=lead_status_changed&filter[value_after][leads_statuses][i][...]`
  with `filter[created_at][from|to]` for every stage at once: leads moved into a stage;
- one `GET /api/v4/leads?filter[statuses][0][...]&filter[created_at][from|to]` per stage: leads
  created right in it (and still there: one created there and moved on before the read is
  missed). One stage per request: the leads-list docs allow only one stage per filter (C,
  conflicting), and a search honouring only the first of several would miss events.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dealcopy.copying.metadata import AmoApi

EVENTS_PAGE = 100  # amoCRM's limit for /api/v4/events


@dataclass(frozen=True)
class StageEntry:
    """A lead entered `status_id` of `pipeline_id` at `time` (unix seconds)."""

    lead_id: int
    pipeline_id: int
    status_id: int
    time: int


def stage_entries(api: AmoApi, stages: Sequence[tuple[int, int]], low: int, high: int) -> list[StageEntry]:
    """Every entry into one of `stages` between `low` and `high`, oldest first."""
    wanted = set(stages)
    found = _moved_in(api, stages, low, high, wanted) | _created_in(api, stages, low, high, wanted)
    return sorted(found, key=lambda f: (f.time, f.lead_id))


def _moved_in(
    api: AmoApi, stages: Sequence[tuple[int, int]], low: int, high: int, wanted: set[tuple[int, int]]
) -> set[StageEntry]:
    params: dict[str, Any] = {
        "filter[type]": "lead_status_changed",
        "filter[created_at][from]": low,
        "filter[created_at][to]": high,
    }
    for i, (pipeline_id, status_id) in enumerate(stages):
        params[f"filter[value_after][leads_statuses][{i}][pipeline_id]"] = pipeline_id
        params[f"filter[value_after][leads_statuses][{i}][status_id]"] = status_id
    found = set()
    for event in api.paginate("/api/v4/events", "events", params, limit=EVENTS_PAGE):
        for value in event.get("value_after") or []:
            status = (value or {}).get("lead_status") or {}
            pair = (int(status.get("pipeline_id") or 0), int(status.get("id") or 0))
            if pair in wanted and event.get("entity_id"):
                found.add(StageEntry(int(event["entity_id"]), *pair, int(event.get("created_at") or 0)))
    return found


def _created_in(
    api: AmoApi, stages: Sequence[tuple[int, int]], low: int, high: int, wanted: set[tuple[int, int]]
) -> set[StageEntry]:
    found = set()
    for pipeline_id, status_id in stages:
        params: dict[str, Any] = {
            "filter[created_at][from]": low,
            "filter[created_at][to]": high,
            "filter[statuses][0][pipeline_id]": pipeline_id,
            "filter[statuses][0][status_id]": status_id,
        }
        for lead in api.paginate("/api/v4/leads", "leads", params):
            pair = (int(lead.get("pipeline_id") or 0), int(lead.get("status_id") or 0))
            if pair in wanted:
                found.add(StageEntry(int(lead["id"]), *pair, int(lead.get("created_at") or 0)))
    return found
