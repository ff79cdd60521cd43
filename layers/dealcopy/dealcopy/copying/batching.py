"""Batch writes where one bad item never sinks the others.

amoCRM validates a whole body before writing anything and answers 400 with
`validation-errors[].request_id` naming the culprits (our `request_id`, or the item's
index in the body). Culprits are taken out and the rest is sent again; when the answer
cannot be attributed, the batch is split in halves until it can.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Sequence
from typing import Any, TypeVar

from dealcopy.amo.errors import AmoValidationError, ValidationIssue

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")


def chunked(items: Sequence[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def blamed_positions(issues: Sequence[ValidationIssue], request_ids: Sequence[str]) -> dict[int, list[ValidationIssue]]:
    """Issues per position in the sent body; raises `LookupError` if any issue cannot be placed.

    amoCRM echoes the item's `request_id` when it was sent (C); otherwise the item's index (U:
    seen as "0" in docs examples). Our request ids are never numeric, so both readings are safe.
    """
    index = {rid: pos for pos, rid in enumerate(request_ids)}
    found: dict[int, list[ValidationIssue]] = {}
    for issue in issues:
        rid = issue.request_id
        if rid in index:
            pos = index[rid]
        elif rid.isdigit() and int(rid) < len(request_ids):
            pos = int(rid)
        else:
            raise LookupError(rid)
        found.setdefault(pos, []).append(issue)
    if not found:
        raise LookupError("no issues")
    return found


def send_isolated(
    groups: Sequence[tuple[K, list[dict[str, Any]]]],
    send: Callable[[list[dict[str, Any]]], Any],
    max_items: int = 250,
) -> dict[K, list[ValidationIssue]]:
    """POST the items of every group in as few bodies as possible; returns the refused groups' own issues.

    Used for links and notes (items carry no request_id: amoCRM blames them by index).
    Errors other than validation errors propagate.
    """
    failures: dict[K, list[ValidationIssue]] = {}
    for chunk in _chunks_by_items(groups, max_items):
        failures |= _send_chunk(chunk, send)
    return failures


def _chunks_by_items(groups: Sequence[tuple[K, list[dict[str, Any]]]], max_items: int) -> Iterator[list[Any]]:
    chunk: list[tuple[K, list[dict[str, Any]]]] = []
    size = 0
    for group in groups:
        if chunk and size + len(group[1]) > max_items:
            yield chunk
            chunk, size = [], 0
        chunk.append(group)
        size += len(group[1])
    if chunk:
        yield chunk


def _send_chunk(
    groups: list[tuple[K, list[dict[str, Any]]]], send: Callable[[list[dict[str, Any]]], Any]
) -> dict[K, list[ValidationIssue]]:
    failures: dict[K, list[ValidationIssue]] = {}
    pending = list(groups)
    while pending:
        owners = [g for g, (_, items) in enumerate(pending) for _ in items]
        try:
            send([item for _, items in pending for item in items])
            return failures
        except AmoValidationError as err:
            if len(pending) == 1:
                failures[pending[0][0]] = list(err.issues) or [ValidationIssue("", "", err.title, err.detail)]
                return failures
            try:
                by_position = blamed_positions(err.issues, [str(i) for i in range(len(owners))])
            except LookupError:
                mid = len(pending) // 2
                return failures | _send_chunk(pending[:mid], send) | _send_chunk(pending[mid:], send)
            for pos, issues in by_position.items():
                failures.setdefault(pending[owners[pos]][0], []).extend(issues)
            blamed = {owners[pos] for pos in by_position}
            pending = [group for g, group in enumerate(pending) if g not in blamed]
    return failures
