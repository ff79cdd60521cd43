"""Job records in the jobs table (pk `job#{account}`, sk `job#{job_id}`).

The jobs table holds several kinds of item, each with its own repository over one
`dynamo.Table`:

| pk | sk | item (module) |
|---|---|---|
| `job#{account}` | `job#{job_id}` | a job record (manual copies' too): JSON of `JobRecord` + queryable attributes |
| `job#{account}` | `lead#{lead_id}` | lineage of a lead we created, for the loop guard (`lineage`) |
| `job#{account}` | `trig#{lead}#{pipeline}#{status}#{rule}#{n}` | a DP event with a job, bucket n (`dp_events`) |
| `job#{account}` | `batch#{batch_id}` | a bulk copy: its lead ids and who asked (`batches`) |
| `activity#{account}` | `copy#{ms}#{job}` / `fail#{ms}#{job}` | the widget's recent activity (`activity`) |
| `dprules` | `{account}#{pipeline}#{status}#{rule}` | a DP rule learned from hooks (`dp_rules`) |
| `dpsign#{account}` | `{rule}` | who signed a DP rule (`signatures`) |
| `test#seams` | `crash#{point}` | local stack only: crashes the worker should simulate (`countdowns`) |

What a worker run reads first and writes after each step spans kinds: `runs.RunStore`.
Jobs of one account are processed one batch at a time (FIFO message group = account), so
plain puts are safe for them; conditional writes guard the items other functions share.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import Any

from boto3.dynamodb.conditions import Key

from dealcopy.records.job import JobRecord, JobState
from dealcopy.storage.dynamo import Item, Table

DAY = 86400
JOB_TTL = 90 * DAY


def job_pk(account_id: int) -> str:
    return f"job#{account_id}"


def job_key(account_id: int, job_id: str) -> Item:
    return {"pk": job_pk(account_id), "sk": f"job#{job_id}"}


def at_rest(record: JobRecord) -> JobRecord:
    """What a finished job keeps for audit: ids, states and outcomes, no personal data.

    The create payload (the copy's name, field values: phones, e-mails, names) and the source's
    name (for the notes) are needed only until the job is done; a finished job keeps the plan's
    ids and summary, and its result without the copy's name. A job that failed after its create
    was sent keeps its plan until a re-drive finishes it (it resumes from there) or the record
    expires.
    """
    resumable = record.state is JobState.FAILED and record.failed_from not in (None, JobState.QUEUED)
    if not record.terminal or resumable:
        return record
    created = record.created
    if created is not None:
        created = created.model_copy(
            update={"plan": created.plan.model_copy(update={"payload": {}, "source_name": None})}
        )
    result = {k: v for k, v in record.result.items() if k != "name"} if record.result else record.result
    return record.model_copy(update={"plan": None, "created": created, "result": result})


def job_item(record: JobRecord) -> Item:
    """The stored form of a record: its JSON plus the attributes listings and operators read."""
    stored = at_rest(record)
    item: Item = {
        **job_key(record.account_id, record.job_id),
        "account_id": record.account_id,
        "job_id": record.job_id,
        "state": record.state.value,
        "trigger": record.trigger,
        "lead_id": record.lead_id,
        "attempts": record.attempts,
        "updated_at": int(record.updated_at),
        "expires_at": int(record.created_at) + JOB_TTL,
        "data": stored.model_dump_json(),
    }
    if record.copy_id is not None:
        item["copy_id"] = record.copy_id
    if record.error is not None:
        item["error_code"] = record.error.code
        item["error"] = record.error.model_dump_json()
    if record.batch_id:
        item["batch_id"] = record.batch_id
    return item


def record_of(item: Item) -> JobRecord:
    return JobRecord.model_validate_json(item["data"])


class JobRepository:
    def __init__(self, table: Table) -> None:
        self._table = table

    def get_jobs(self, account_id: int, job_ids: Iterable[str]) -> dict[str, JobRecord]:
        keys = [job_key(account_id, job_id) for job_id in dict.fromkeys(job_ids)]
        return {
            item["job_id"]: record_of(item) for item in self._table.batch_get(keys, "job_id, #data", {"#data": "data"})
        }

    def put_jobs(self, records: Sequence[JobRecord]) -> None:
        now = time.time()
        for record in records:
            record.updated_at = now
        self._table.write([job_item(record) for record in records])

    def list_jobs(self, account_id: int, prefix: str = "") -> list[JobRecord]:
        """The account's job records whose id starts with `prefix` (operator tools, the demo)."""
        items = self._table.query(Key("pk").eq(job_pk(account_id)) & Key("sk").begins_with(f"job#{prefix}"))
        return [record_of(item) for item in items]

    def job_summaries(self, account_id: int, prefix: str) -> list[dict[str, Any]]:
        """Small attributes of the jobs whose id starts with `prefix` (bulk progress): no plans."""
        return self._table.query(
            Key("pk").eq(job_pk(account_id)) & Key("sk").begins_with(f"job#{prefix}"),
            projection="job_id, lead_id, #state, copy_id, #error",
            names={"#state": "state", "#error": "error"},
        )

    def failed_jobs(self, account_id: int | None = None) -> list[JobRecord]:
        """Jobs that ended failed or stopped (operator listing); a scan without an account."""
        ended = {JobState.FAILED.value, JobState.STOPPED.value}
        if account_id is not None:
            items = self._table.query(Key("pk").eq(job_pk(account_id)) & Key("sk").begins_with("job#"))
            items = [i for i in items if i.get("state") in ended]
        else:
            items = self._table.scan(
                FilterExpression="begins_with(pk, :job) AND #state IN (:failed, :stopped)",
                ExpressionAttributeNames={"#state": "state"},
                ExpressionAttributeValues={":failed": "failed", ":stopped": "stopped", ":job": "job#"},
            )
        records = [record_of(i) for i in items if "data" in i]
        return sorted(records, key=lambda r: r.updated_at)

    def reset_for_redrive(self, account_id: int, job_ids: Iterable[str]) -> list[str]:
        """Failed jobs go back to the state they failed in, with fresh attempts; returns the ids reset.

        A job that failed before anything was created loses its record and starts afresh.
        """
        reset, keep = [], []
        for record in self.get_jobs(account_id, job_ids).values():
            if record.state is not JobState.FAILED:
                continue
            reset.append(record.job_id)
            if record.failed_from in (None, JobState.QUEUED):
                self._table.delete(job_key(account_id, record.job_id))
                continue
            keep.append(
                record.model_copy(
                    update={
                        "state": record.failed_from,
                        "attempts": 0,
                        "error": None,
                        "last_error": record.error,
                        "failed_from": None,
                        "dead_lettered": False,
                        "note_written": None,
                    }
                )
            )
        self.put_jobs(keep)
        return reset
