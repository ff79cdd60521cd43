"""Operator commands, run with the operator's AWS credentials against the deployed stack.

    python -m dealcopy.admin accounts list|show ID|extend ID --days N
    python -m dealcopy.admin jobs failed [--account ID]       failed/stopped copy jobs and why
    python -m dealcopy.admin dlq count                         messages in the dead-letter queue
    python -m dealcopy.admin dlq redrive [--account ID] [--dry-run]
                                                               after a fix: jobs back to the queue

Environment: ACCOUNTS_TABLE, JOBS_TABLE, COPY_QUEUE_URL, COPY_DLQ_URL (stack outputs/README).
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from dealcopy.accounts import Account
from dealcopy.licence import licence_of


def describe(account: Account, now: float | None = None) -> dict:
    licence = licence_of(account)
    return {
        "account_id": account.account_id,
        "subdomain": account.subdomain,
        "domain": account.domain,
        "status": account.status.value,
        "first_installed": time.strftime("%Y-%m-%d", time.gmtime(account.first_installed_at)),
        "licence": licence.kind,
        "valid_until": time.strftime("%Y-%m-%d", time.gmtime(licence.valid_until)),
        "days_left": licence.days_left(now),
    }


def describe_job(record) -> dict:
    error = record.error or record.last_error
    return {
        "account_id": record.account_id,
        "job_id": record.job_id,
        "trigger": record.trigger,
        "origin": record.origin,
        "lead_id": record.lead_id,
        "state": record.state.value,
        "failed_in": record.failed_from.value if record.failed_from else None,
        "attempts": record.attempts,
        "code": error.code if error else None,
        "reason_ru": error.message_ru if error else None,
        "reason_en": error.message_en if error else None,
        "note_on_source": record.note_written,
        "in_dlq": record.dead_lettered,
        "copy_id": record.copy_id,
        "updated": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(record.updated_at)),
    }


def redrive(store, sqs, dlq_url: str, queue_url: str, *, account_id: int | None, dry_run: bool) -> dict:
    """Move DLQ messages back to the copy queue; their failed jobs resume where they failed.

    FIFO: a group's next messages appear only once its earlier ones are deleted, so the loop
    receives, re-sends and deletes until nothing of interest is left. Messages skipped (other
    accounts, unreadable, dry run) are made visible again at the end.
    """
    from pydantic import ValidationError

    from dealcopy.jobs.model import JobMessage
    from dealcopy.jobs.queue import JobQueue

    queue = JobQueue(sqs, queue_url, dlq_url)
    moved, jobs_reset, skipped = 0, 0, []
    stamp = int(time.time() * 1000)
    for _ in range(10_000):
        got = sqs.receive_message(QueueUrl=dlq_url, MaxNumberOfMessages=10, VisibilityTimeout=120).get("Messages", [])
        if not got:
            break
        progress = False
        for raw in got:
            try:
                message = JobMessage.model_validate_json(raw["Body"])
            except ValidationError:
                skipped.append(raw["ReceiptHandle"])
                continue
            if dry_run or (account_id is not None and message.account_id != account_id):
                skipped.append(raw["ReceiptHandle"])
                continue
            jobs_reset += len(store.reset_for_redrive(message.account_id, [j.job_id for j in message.jobs]))
            queue.send([message.model_copy(update={"origin": "redrive", "failure": None})], dedup_suffix=f"-rd{stamp}")
            sqs.delete_message(QueueUrl=dlq_url, ReceiptHandle=raw["ReceiptHandle"])
            moved += 1
            progress = True
        if not progress:
            break
    for handle in skipped:
        sqs.change_message_visibility(QueueUrl=dlq_url, ReceiptHandle=handle, VisibilityTimeout=0)
    return {"moved": moved, "jobs_reset": jobs_reset, "left_in_dlq": len(skipped), "dry_run": dry_run}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dealcopy.admin", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="entity", required=True)
    accounts_cmd = sub.add_parser("accounts").add_subparsers(dest="action", required=True)
    accounts_cmd.add_parser("list")
    accounts_cmd.add_parser("show").add_argument("account_id", type=int)
    extend = accounts_cmd.add_parser("extend")
    extend.add_argument("account_id", type=int)
    extend.add_argument("--days", type=int, required=True)
    jobs_cmd = sub.add_parser("jobs").add_subparsers(dest="action", required=True)
    jobs_cmd.add_parser("failed", help="failed and stopped copy jobs, with reasons").add_argument(
        "--account", type=int, default=None
    )
    dlq_cmd = sub.add_parser("dlq").add_subparsers(dest="action", required=True)
    dlq_cmd.add_parser("count", help="messages in the dead-letter queue")
    redrive_cmd = dlq_cmd.add_parser("redrive", help="send dead-lettered jobs back to the copy queue")
    redrive_cmd.add_argument("--account", type=int, default=None)
    redrive_cmd.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)

    from dealcopy import wiring

    if args.entity == "jobs":
        print(
            json.dumps(
                [describe_job(r) for r in wiring.job_store().failed_jobs(args.account)], ensure_ascii=False, indent=2
            )
        )
        return 0
    if args.entity == "dlq":
        from dealcopy.config import settings

        cfg = settings()
        if not cfg.copy_dlq_url or not cfg.copy_queue_url:
            print("set COPY_QUEUE_URL and COPY_DLQ_URL (stack outputs)", file=sys.stderr)
            return 2
        if args.action == "count":
            attrs = wiring.sqs().get_queue_attributes(
                QueueUrl=cfg.copy_dlq_url,
                AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
            )["Attributes"]
            print(json.dumps({k: int(v) for k, v in attrs.items()}))
            return 0
        result = redrive(
            wiring.job_store(),
            wiring.sqs(),
            cfg.copy_dlq_url,
            cfg.copy_queue_url,
            account_id=args.account,
            dry_run=args.dry_run,
        )
        print(json.dumps(result))
        return 0

    repo = wiring.accounts()
    if args.action == "list":
        rows = [describe(a) for a in sorted(repo.scan(), key=lambda a: a.account_id)]
    elif args.action == "show":
        account = repo.get(args.account_id, consistent=True)
        if account is None:
            print(f"account {args.account_id} not found", file=sys.stderr)
            return 1
        rows = describe(account)
    else:
        if args.days <= 0:
            parser.error("--days must be positive")
        try:
            rows = describe(repo.extend_paid(args.account_id, args.days))
        except KeyError:
            print(f"account {args.account_id} not found", file=sys.stderr)
            return 1
    print(json.dumps(rows, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
