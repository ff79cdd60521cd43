"""What one run of an account's jobs reads at its start and writes after every step.

`prefetch` reads every kind the run needs in one BatchGetItem (per 100 keys); `checkpoint`
writes records, lineage, activity and filed DP events in one batch, so a crash between two
steps leaves either all of a step's writes or none of the next one's.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence

from dealcopy.records.job import Activity, FiledEvent, JobRecord, Lineage
from dealcopy.records.ports import Prefetched
from dealcopy.storage.activity import activity_item
from dealcopy.storage.dp_events import event_item, event_of, neighbour_keys
from dealcopy.storage.dynamo import Item, Table
from dealcopy.storage.jobs import job_item, job_key, record_of
from dealcopy.storage.lineage import LineageRepository, lineage_item, lineage_key, lineage_of
from dealcopy.storage.signatures import signature_key


class RunStore:
    """`records.ports.RunStorage` over the jobs table."""

    def __init__(self, table: Table) -> None:
        self._table = table
        self._lineage = LineageRepository(table)

    def prefetch(
        self,
        account_id: int,
        records: Sequence[JobRecord],
        events: Sequence[FiledEvent],
        rule_hashes: Iterable[str],
        window: int,
    ) -> Prefetched:
        """The job records, the lineage of their source leads, the DP events already filed near
        `events`, and who signed each rule."""
        keys = [job_key(account_id, r.job_id) for r in records]
        keys += [lineage_key(account_id, lead) for lead in dict.fromkeys(r.lead_id for r in records)]
        for event in events:
            keys += neighbour_keys(account_id, event)
        keys += [signature_key(account_id, h) for h in dict.fromkeys(rule_hashes)]
        unique = list({(k["pk"], k["sk"]): k for k in keys}.values())
        found = Prefetched()
        for item in self._table.batch_get(unique):
            sk = item["sk"]
            if item["pk"].startswith("dpsign#"):
                found.signers[sk] = int(item["signed_by"])
            elif sk.startswith("job#"):
                found.jobs[item["job_id"]] = record_of(item)
            elif sk.startswith("lead#"):
                found.lineage[int(item["lead_id"])] = lineage_of(item)
            elif sk.startswith("trig#"):
                found.events.append(event_of(item, window))
        return found

    def forget(self, account_id: int, job_id: str) -> None:
        """Drop a job that made nothing and will not resume (a refused manual copy): a retry starts afresh."""
        self._table.delete(job_key(account_id, job_id))

    def claimed(self, account_id: int, lead_ids: Iterable[int]) -> set[int]:
        """Leads that are already a copy we made: a search for an uncertain create never adopts them."""
        return self._lineage.claimed(account_id, lead_ids)

    def checkpoint(
        self,
        account_id: int,
        *,
        records: Sequence[JobRecord] = (),
        lineage: Sequence[Lineage] = (),
        activity: Sequence[Activity] = (),
        events: Sequence[FiledEvent] = (),
    ) -> None:
        """Write a step's outcome in as few requests as DynamoDB allows; records get `updated_at` now."""
        now = time.time()
        items: list[Item] = []
        for record in records:
            record.updated_at = now
            items.append(job_item(record))
        items += [lineage_item(account_id, entry) for entry in lineage]
        items += [activity_item(account_id, entry) for entry in activity]
        items += [event_item(account_id, event) for event in events]
        self._table.write(items)
