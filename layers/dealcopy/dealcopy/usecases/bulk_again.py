"""A mass action pressed again: which chosen deals an earlier batch with the same rule already copied.

The lead list's action is one press for up to 250 deals; pressed again for the same deals and
rule it would make a second full set. `start_bulk` asks this first and refuses (409
`already-copied`, with the counts) unless the widget says the person confirmed a repeat.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from dealcopy.records.job import JobState

if TYPE_CHECKING:
    from dealcopy.storage.batches import BatchRepository
    from dealcopy.storage.jobs import JobRepository

# A job in these states made no copy: its deal is not "already copied" (a retry of failures is no repeat).
NOTHING_MADE = frozenset({JobState.FAILED.value, JobState.STOPPED.value, JobState.DUPLICATE.value})


def already_copied(
    account_id: int, lead_ids: Iterable[int], rule: str, *, batches: BatchRepository, jobs: JobRepository
) -> set[int]:
    """The deals among `lead_ids` that an earlier batch with this canonical `rule` copied or is copying."""
    wanted = set(lead_ids)
    made: set[int] = set()
    for meta in batches.of_account(account_id):
        shared = wanted.intersection(meta.get("lead_ids") or []) - made
        if meta.get("rule") != rule or not shared:
            continue
        states = {
            int(item["lead_id"]): item.get("state")
            for item in jobs.job_summaries(account_id, f"bulk-{meta['batch_id']}-")
        }
        # no job record yet: still queued, so already on its way
        made |= {lead for lead in shared if states.get(lead, JobState.QUEUED.value) not in NOTHING_MADE}
    return made
