"""Creating copies: one `POST /api/v4/leads` for many plans, with per-copy isolation of failures.

When amoCRM refuses some copies' custom fields (paths `custom_fields_values.{i}...`),
exactly those fields are dropped and reported, and the batch is sent again; each copy
gets that chance once. Any other validation issue rejects only the copy it belongs to.
`AmoAmbiguousWrite` (and every non-validation error) propagates unchanged: the job layer
reconciles whether leads were created.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from dealcopy.amo.errors import AmoValidationError, ValidationIssue
from dealcopy.copying.batching import blamed_positions, chunked
from dealcopy.copying.errors import CopyRejected, RejectionIssue
from dealcopy.copying.metadata import AmoApi
from dealcopy.copying.plan import CopyPlan
from dealcopy.copying.refusals import whole_field_indexes
from dealcopy.copying.result import Skip

CREATE_CHUNK = 50  # amoCRM takes up to 250 leads per request and recommends at most 50
_FIELD_PATH = re.compile(r"^custom_fields_values(?:\.|\[)(\d+)")


class CreatedCopy(BaseModel):
    """A copy that exists in amoCRM, and how far its follow-up steps got (None = not run yet)."""

    plan: CopyPlan
    lead_id: int
    links_written: bool | None = None
    notes_written: bool | None = None
    problems: list[Skip] = []


def _field_indexes(issues: Sequence[ValidationIssue]) -> dict[int, str] | None:
    """Field index -> detail when every issue points into custom_fields_values, else None."""
    found: dict[int, str] = {}
    for issue in issues:
        match = _FIELD_PATH.match(issue.path)
        if match is None:
            return None
        index = int(match.group(1))
        found[index] = "; ".join(filter(None, [found.get(index), issue.detail or issue.code]))
    return found


def _post(api: AmoApi, plans: Sequence[CopyPlan]) -> list[int]:
    """Lead ids in plan order (matched by request_id, else by position)."""
    body = [{**plan.payload, "request_id": plan.request_id} for plan in plans]
    answer = api.post("/api/v4/leads", body) or {}
    leads: list[dict[str, Any]] = (answer.get("_embedded") or {}).get("leads") or []
    by_request = {str(item.get("request_id")): int(item["id"]) for item in leads if item.get("request_id") is not None}
    if all(plan.request_id in by_request for plan in plans):
        return [by_request[plan.request_id] for plan in plans]
    if len(leads) != len(plans):
        raise ValueError(f"amoCRM created {len(leads)} leads for {len(plans)} copies")
    return [int(item["id"]) for item in leads]


def create_copies(
    api: AmoApi, plans: Sequence[CopyPlan], chunk: int = CREATE_CHUNK
) -> list[CreatedCopy | CopyRejected]:
    """Create every plan's lead; the answer is aligned with `plans`."""
    if len({plan.request_id for plan in plans}) != len(plans):
        raise ValueError("request_id must be unique within a batch")
    outcomes: dict[int, CreatedCopy | CopyRejected] = {}
    for part in chunked(list(enumerate(plans)), chunk):
        _create_part(api, part, outcomes)
    return [outcomes[pos] for pos in range(len(plans))]


def _create_part(
    api: AmoApi, pending: list[tuple[int, CopyPlan]], outcomes: dict[int, CreatedCopy | CopyRejected]
) -> None:
    while pending:
        try:
            ids = _post(api, [plan for _, plan in pending])
        except AmoValidationError as err:
            try:
                blamed = blamed_positions(err.issues, [plan.request_id for _, plan in pending])
            except LookupError:
                if len(pending) == 1:
                    blamed = {0: list(err.issues) or [ValidationIssue("", "", err.title, err.detail)]}
                else:
                    mid = len(pending) // 2
                    _create_part(api, pending[:mid], outcomes)
                    _create_part(api, pending[mid:], outcomes)
                    return
            pending = _triage(pending, blamed, err, outcomes)
            continue
        for (pos, plan), lead_id in zip(pending, ids, strict=True):
            outcomes[pos] = CreatedCopy(plan=plan, lead_id=lead_id)
        return


def _triage(
    pending: list[tuple[int, CopyPlan]],
    blamed: dict[int, list[ValidationIssue]],
    err: AmoValidationError,
    outcomes: dict[int, CreatedCopy | CopyRejected],
) -> list[tuple[int, CopyPlan]]:
    """Drop refused fields (once per copy), reject copies with other issues, keep the rest."""
    again = []
    for index, (pos, plan) in enumerate(pending):
        issues = blamed.get(index)
        if not issues:
            again.append((pos, plan))
            continue
        fields = _field_indexes(issues)
        if fields is not None and not plan.field_retry_used:
            again.append((pos, plan.without_fields(fields, whole_field_indexes(i.path for i in issues))))
        else:
            found = [RejectionIssue(i.path, i.code, i.detail) for i in issues]
            outcomes[pos] = CopyRejected(plan.source_id, found, err)
    return again
