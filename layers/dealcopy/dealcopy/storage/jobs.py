"""Jobs table: job records, copy lineage, DP bookkeeping, activity and bulk batches.

One table (pk, sk, TTL `expires_at`) holds several kinds of items:

| pk | sk | item |
|---|---|---|
| `job#{account}` | `job#{job_id}` | a job record (`data` = JSON of `JobRecord`, plus queryable attributes) |
| `job#{account}` | `lead#{lead_id}` | lineage of a lead we created (depth and rule chain, for the loop guard) |
| `job#{account}` | `trig#{lead}#{pipeline}#{status}#{rule}#{n}` | a DP event with a job (bucket: time // window) |
| `job#{account}` | `batch#{batch_id}` | a bulk copy: its lead ids and who asked |
| `activity#{account}` | `copy#{ms}#{job}` / `fail#{ms}#{job}` | the widget's recent activity |
| `dprules` | `{account}#{pipeline}#{status}#{rule}` | a DP rule learned from hooks, with the catch-up checkpoint |
| `dpsign#{account}` | `{rule}` | who signed a DP rule |
| `test#seams` | `crash#{point}` | local stack only: crashes the worker should simulate |

Jobs of one account are processed one batch at a time (FIFO message group = account), so
plain puts are safe for them; conditional writes guard the items other functions share.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from dealcopy.jobs.model import JobRecord, JobState, Lineage
from dealcopy.storage.dynamo import is_conditional_failure, plain

DAY = 86400
JOB_TTL = 90 * DAY
LINEAGE_TTL = 365 * DAY
TRIGGER_TTL = 30 * DAY
ACTIVITY_TTL = 30 * DAY
BATCH_TTL = 30 * DAY
RULE_TTL = 180 * DAY


def _job_pk(account_id: int) -> str:
    return f"job#{account_id}"


def _trigger_prefix(lead_id: int, pipeline_id: int, status_id: int, rule_hash: str) -> str:
    return f"trig#{lead_id}#{pipeline_id}#{status_id}#{rule_hash}#"


@dataclass
class Prefetched:
    jobs: dict[str, JobRecord] = field(default_factory=dict)
    lineage: dict[int, Lineage] = field(default_factory=dict)
    signers: dict[str, int] = field(default_factory=dict)
    events: list[tuple[str, int, str]] = field(default_factory=list)  # (trigger prefix, event time, job id)


class JobStore:
    def __init__(self, table: Any, resource: Any) -> None:
        """`table` is a boto3 Table; `resource` the DynamoDB service resource (for batch reads)."""
        self._table = table
        self._resource = resource
        self._learned: dict[str, tuple[int, int]] = {}  # rule key -> (first, last) event time written by us

    # --- job records ------------------------------------------------------------------------

    def get_jobs(self, account_id: int, job_ids: Iterable[str]) -> dict[str, JobRecord]:
        keys = [{"pk": _job_pk(account_id), "sk": f"job#{job_id}"} for job_id in dict.fromkeys(job_ids)]
        return {
            item["job_id"]: JobRecord.model_validate_json(item["data"])
            for item in self._batch_get(keys, "job_id, #data", {"#data": "data"})
        }

    def put_jobs(self, records: Sequence[JobRecord], extra: Sequence[dict[str, Any]] = ()) -> None:
        """Write job records (and any extra items) in as few requests as DynamoDB allows."""
        now = time.time()
        items = []
        for record in records:
            record.updated_at = now
            items.append(self._job_item(record))
        self._write([*items, *extra])

    def _job_item(self, record: JobRecord) -> dict[str, Any]:
        item: dict[str, Any] = {
            "pk": _job_pk(record.account_id),
            "sk": f"job#{record.job_id}",
            "account_id": record.account_id,
            "job_id": record.job_id,
            "state": record.state.value,
            "trigger": record.trigger,
            "lead_id": record.lead_id,
            "attempts": record.attempts,
            "updated_at": int(record.updated_at),
            "expires_at": int(record.created_at) + JOB_TTL,
            "data": record.model_dump_json(),
        }
        if record.copy_id is not None:
            item["copy_id"] = record.copy_id
        if record.error is not None:
            item["error_code"] = record.error.code
            item["error"] = record.error.model_dump_json()
        if record.batch_id:
            item["batch_id"] = record.batch_id
        return item

    def list_jobs(self, account_id: int, prefix: str = "") -> list[JobRecord]:
        """The account's job records whose id starts with `prefix` (operator tools, the demo)."""
        items = self._query(Key("pk").eq(_job_pk(account_id)) & Key("sk").begins_with(f"job#{prefix}"))
        return [JobRecord.model_validate_json(item["data"]) for item in items]

    def job_summaries(self, account_id: int, prefix: str) -> list[dict[str, Any]]:
        """Small attributes of the jobs whose id starts with `prefix` (bulk progress): no plans."""
        return self._query(
            Key("pk").eq(_job_pk(account_id)) & Key("sk").begins_with(f"job#{prefix}"),
            projection="job_id, lead_id, #state, copy_id, #error",
            names={"#state": "state", "#error": "error"},
        )

    def failed_jobs(self, account_id: int | None = None) -> list[JobRecord]:
        """Jobs that ended failed or stopped (operator listing); a scan without an account."""
        names = {"#state": "state"}
        values = {":failed": JobState.FAILED.value, ":stopped": JobState.STOPPED.value}
        condition = "#state IN (:failed, :stopped)"
        if account_id is not None:
            items = self._query(Key("pk").eq(_job_pk(account_id)) & Key("sk").begins_with("job#"))
            items = [i for i in items if i.get("state") in values.values()]
        else:
            items, kwargs = [], {}
            while True:
                page = self._table.scan(
                    FilterExpression=f"begins_with(pk, :job) AND {condition}",
                    ExpressionAttributeNames=names,
                    ExpressionAttributeValues={**values, ":job": "job#"},
                    **kwargs,
                )
                items.extend(page.get("Items", []))
                if "LastEvaluatedKey" not in page:
                    break
                kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        records = [JobRecord.model_validate_json(i["data"]) for i in items if "data" in i]
        return sorted(records, key=lambda r: r.updated_at)

    def reset_for_redrive(self, account_id: int, job_ids: Iterable[str]) -> list[str]:
        """Failed jobs go back to the state they failed in, with fresh attempts; returns the ids reset.

        A job that failed before anything was created loses its record and starts afresh.
        """
        records = self.get_jobs(account_id, job_ids)
        reset, keep = [], []
        for record in records.values():
            if record.state is not JobState.FAILED:
                continue
            reset.append(record.job_id)
            if record.failed_from in (None, JobState.QUEUED):
                self._table.delete_item(Key={"pk": _job_pk(account_id), "sk": f"job#{record.job_id}"})
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

    # --- lineage and DP de-duplication ------------------------------------------------------------

    def lineage(self, account_id: int, lead_ids: Iterable[int]) -> dict[int, Lineage]:
        keys = [{"pk": _job_pk(account_id), "sk": f"lead#{lead_id}"} for lead_id in dict.fromkeys(lead_ids)]
        return {
            int(item["lead_id"]): Lineage.model_validate_json(item["data"])
            for item in self._batch_get(keys, "lead_id, #data", {"#data": "data"})
        }

    @staticmethod
    def lineage_item(account_id: int, lineage: Lineage) -> dict[str, Any]:
        return {
            "pk": _job_pk(account_id),
            "sk": f"lead#{lineage.lead_id}",
            "lead_id": lineage.lead_id,
            "data": lineage.model_dump_json(),
            "expires_at": int(time.time()) + LINEAGE_TTL,
        }

    def put_lineage(self, account_id: int, lineage: Lineage) -> None:
        self._write([self.lineage_item(account_id, lineage)])

    @staticmethod
    def trigger_item(account_id: int, record: JobRecord, window: int) -> dict[str, Any]:
        """The DP event of `record`, filed under its time bucket (`window` seconds wide)."""
        assert record.event is not None
        ev = record.event
        prefix = _trigger_prefix(record.lead_id, ev.pipeline_id, ev.status_id, record.rule_hash)
        return {
            "pk": _job_pk(account_id),
            "sk": f"{prefix}{ev.time // max(window, 1)}",
            "job_id": record.job_id,
            "event_time": ev.time,
            "expires_at": int(time.time()) + TRIGGER_TTL,
        }

    @staticmethod
    def _trigger_keys(account_id: int, record: JobRecord, window: int) -> list[dict[str, str]]:
        if record.event is None:
            return []
        ev = record.event
        prefix = _trigger_prefix(record.lead_id, ev.pipeline_id, ev.status_id, record.rule_hash)
        bucket = ev.time // max(window, 1)
        return [{"pk": _job_pk(account_id), "sk": f"{prefix}{b}"} for b in (bucket - 1, bucket, bucket + 1)]

    def prefetch(
        self, account_id: int, records: Sequence[JobRecord], rule_hashes: Iterable[str], window: int
    ) -> Prefetched:
        """Everything a worker run reads before it starts, in one BatchGetItem (per 100 keys):
        the job records, the lineage of the source leads, the DP events already filed near
        each job's event, and who signed each rule.
        """
        pk = _job_pk(account_id)
        keys = [{"pk": pk, "sk": f"job#{r.job_id}"} for r in records]
        keys += [{"pk": pk, "sk": f"lead#{lead}"} for lead in dict.fromkeys(r.lead_id for r in records)]
        for record in records:
            keys += self._trigger_keys(account_id, record, window)
        keys += [{"pk": f"dpsign#{account_id}", "sk": h} for h in dict.fromkeys(rule_hashes)]
        unique = list({(k["pk"], k["sk"]): k for k in keys}.values())
        found = Prefetched()
        for item in self._batch_get(unique, None):
            sk = item["sk"]
            if item["pk"].startswith("dpsign#"):
                found.signers[sk] = int(item["signed_by"])
            elif sk.startswith("job#"):
                found.jobs[item["job_id"]] = JobRecord.model_validate_json(item["data"])
            elif sk.startswith("lead#"):
                found.lineage[int(item["lead_id"])] = Lineage.model_validate_json(item["data"])
            elif sk.startswith("trig#"):
                found.events.append((sk.rsplit("#", 1)[0] + "#", int(item.get("event_time", 0)), item["job_id"]))
        return found

    @staticmethod
    def twin_of(prefetched: Prefetched, record: JobRecord, window: int) -> str | None:
        """Another job for the same lead, stage and rule within `window` seconds of `record`'s event.

        Hook and catch-up should compute the same job id; this covers an event time that
        differs slightly between the hook and the events API (their equality is an assumption).
        """
        if record.event is None:
            return None
        ev = record.event
        prefix = _trigger_prefix(record.lead_id, ev.pipeline_id, ev.status_id, record.rule_hash)
        for filed_prefix, filed_time, job_id in prefetched.events:
            if filed_prefix == prefix and job_id != record.job_id and abs(filed_time - ev.time) <= window:
                return job_id
        return None

    # --- activity (the widget's «recent copies») ----------------------------------------------------

    @staticmethod
    def activity_item(account_id: int, kind: str, job_id: str, entry: dict[str, Any]) -> dict[str, Any]:
        at_ms = int(time.time() * 1000)
        return {
            "pk": f"activity#{account_id}",
            "sk": f"{kind}#{at_ms:013d}#{job_id}",
            "data": json.dumps({**entry, "at": int(at_ms / 1000)}, ensure_ascii=False),
            "expires_at": int(at_ms / 1000) + ACTIVITY_TTL,
        }

    def add_activity(self, account_id: int, kind: str, job_id: str, entry: dict[str, Any]) -> None:
        self._table.put_item(Item=self.activity_item(account_id, kind, job_id, entry))

    def recent_activity(self, account_id: int, kind: str, limit: int = 20) -> list[dict[str, Any]]:
        page = self._table.query(
            KeyConditionExpression=Key("pk").eq(f"activity#{account_id}") & Key("sk").begins_with(f"{kind}#"),
            ScanIndexForward=False,
            Limit=limit,
        )
        return [json.loads(item["data"]) for item in page.get("Items", [])]

    # --- bulk batches -----------------------------------------------------------------------------

    def create_batch(self, account_id: int, batch_id: str, meta: dict[str, Any]) -> dict[str, Any]:
        """Store a batch once; returns the stored meta (the earlier one if the id exists)."""
        item = {
            "pk": _job_pk(account_id),
            "sk": f"batch#{batch_id}",
            "data": json.dumps(meta, ensure_ascii=False),
            "expires_at": int(time.time()) + BATCH_TTL,
        }
        try:
            self._table.put_item(Item=item, ConditionExpression="attribute_not_exists(pk)")
        except ClientError as err:
            if not is_conditional_failure(err):
                raise
            existing = self.get_batch(account_id, batch_id)
            return existing if existing is not None else meta
        return meta

    def get_batch(self, account_id: int, batch_id: str) -> dict[str, Any] | None:
        item = self._table.get_item(Key={"pk": _job_pk(account_id), "sk": f"batch#{batch_id}"}).get("Item")
        return json.loads(item["data"]) if item else None

    # --- DP rules learned from hooks (what the catch-up watches) ------------------------------------

    def learn_rule(
        self,
        *,
        account_id: int,
        pipeline_id: int,
        status_id: int,
        rule: str,
        rule_hash: str,
        event_time: int,
    ) -> None:
        """Remember a rule that fired, and the earliest and latest event time a hook brought.

        One conditional write when the event is the newest (the usual case), a second only for
        an event older than every earlier one; the window's ends never move back whatever order
        hooks arrive in. A process-local memo skips writes that could change nothing.
        """
        key = f"{account_id}#{pipeline_id}#{status_id}#{rule_hash}"
        known = self._learned.get(key)
        if known is not None and known[0] <= event_time <= known[1]:
            return
        now = int(time.time())
        try:
            self._table.update_item(
                Key={"pk": "dprules", "sk": key},
                UpdateExpression=(
                    "SET account_id = :a, pipeline_id = :p, status_id = :s, #rule = :r, rule_hash = :h, "
                    "first_event_time = if_not_exists(first_event_time, :t), last_event_time = :t, "
                    "last_seen = :now, expires_at = :exp"
                ),
                ConditionExpression="attribute_not_exists(last_event_time) OR last_event_time <= :t",
                ExpressionAttributeNames={"#rule": "rule"},
                ExpressionAttributeValues={
                    ":a": account_id,
                    ":p": pipeline_id,
                    ":s": status_id,
                    ":r": rule,
                    ":h": rule_hash,
                    ":t": event_time,
                    ":now": now,
                    ":exp": now + RULE_TTL,
                },
            )
        except ClientError as err:
            if not is_conditional_failure(err):
                raise
            try:  # an older event than the newest: it may still be the oldest
                self._table.update_item(
                    Key={"pk": "dprules", "sk": key},
                    UpdateExpression="SET first_event_time = :t",
                    ConditionExpression="first_event_time > :t",
                    ExpressionAttributeValues={":t": event_time},
                )
            except ClientError as again:
                if not is_conditional_failure(again):
                    raise
        low = min(known[0], event_time) if known else event_time
        self._learned[key] = (low, max(known[1], event_time) if known else event_time)

    def dp_rules(self) -> list[dict[str, Any]]:
        return self._query(Key("pk").eq("dprules"))

    def set_caught_up(self, rule_sk: str, event_time: int) -> None:
        self._table.update_item(
            Key={"pk": "dprules", "sk": rule_sk},
            UpdateExpression="SET caught_up_to = :t, caught_up_at = :now",
            ExpressionAttributeValues={":t": event_time, ":now": int(time.time())},
        )

    def record_signature(self, account_id: int, rule_hash: str, user_id: int) -> None:
        self._table.put_item(
            Item={
                "pk": f"dpsign#{account_id}",
                "sk": rule_hash,
                "signed_by": user_id,
                "signed_at": int(time.time()),
                "expires_at": int(time.time()) + 3 * 365 * DAY,
            }
        )

    # --- test seam (local stack only) ----------------------------------------------------------------

    def arm_crash(self, point: str, count: int = 1) -> None:
        self._table.put_item(Item={"pk": "test#seams", "sk": f"crash#{point}", "remaining": count})

    def armed_crashes(self) -> set[str]:
        items = self._query(Key("pk").eq("test#seams"))
        return {item["sk"].removeprefix("crash#") for item in items if int(item.get("remaining", 0)) > 0}

    def take_crash(self, point: str) -> bool:
        try:
            self._table.update_item(
                Key={"pk": "test#seams", "sk": f"crash#{point}"},
                UpdateExpression="SET remaining = remaining - :one",
                ConditionExpression="remaining > :zero",
                ExpressionAttributeValues={":one": 1, ":zero": 0},
            )
        except ClientError as err:
            if is_conditional_failure(err):
                return False
            raise
        return True

    # --- plumbing ------------------------------------------------------------------------------------

    def _write(self, items: Sequence[dict[str, Any]]) -> None:
        if not items:
            return
        if len(items) == 1:
            self._table.put_item(Item=items[0])
            return
        with self._table.batch_writer(overwrite_by_pkeys=["pk", "sk"]) as writer:
            for item in items:
                writer.put_item(Item=item)

    def _batch_get(
        self, keys: list[dict[str, Any]], projection: str | None, names: dict[str, str] | None = None
    ) -> list[dict[str, Any]]:
        name = self._table.name
        found: list[dict[str, Any]] = []
        for start in range(0, len(keys), 100):
            request: dict[str, Any] = {"Keys": keys[start : start + 100], "ConsistentRead": True}
            if projection:
                request["ProjectionExpression"] = projection
            if names:
                request["ExpressionAttributeNames"] = names
            pending = {name: request}
            for _ in range(10):
                answer = self._resource.batch_get_item(RequestItems=pending)
                found.extend(plain(item) for item in answer.get("Responses", {}).get(name, []))
                pending = answer.get("UnprocessedKeys") or {}
                if not pending:
                    break
                time.sleep(0.05)
        return found

    def _query(
        self, condition: Any, projection: str | None = None, names: dict[str, str] | None = None
    ) -> list[dict[str, Any]]:
        items, kwargs = [], {}
        if projection:
            kwargs["ProjectionExpression"] = projection
        if names:
            kwargs["ExpressionAttributeNames"] = names
        while True:
            page = self._table.query(KeyConditionExpression=condition, ConsistentRead=True, **kwargs)
            items.extend(plain(item) for item in page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                return items
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
