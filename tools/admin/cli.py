"""Parses the operator's command line and prints each answer as JSON."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

import tools.admin
from tools.admin import accounts, dlq


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tools.admin",
        description=tools.admin.__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="entity", required=True)
    accounts_cmd = sub.add_parser("accounts").add_subparsers(dest="action", required=True)
    accounts_cmd.add_parser("list")
    accounts_cmd.add_parser("show").add_argument("account_id", type=int)
    accounts_cmd.add_parser("status", help="token age, time zone, licence, disconnection").add_argument(
        "account_id", type=int
    )
    extend = accounts_cmd.add_parser("extend")
    extend.add_argument("account_id", type=int)
    extend.add_argument("--days", type=int, required=True)
    jobs_cmd = sub.add_parser("jobs").add_subparsers(dest="action", required=True)
    jobs_cmd.add_parser("failed", help="failed and stopped copy jobs, with reasons").add_argument(
        "--account", type=int, default=None
    )
    recent = jobs_cmd.add_parser("recent", help="an account's recent jobs with state and reason")
    recent.add_argument("account_id", type=int)
    recent.add_argument("--hours", type=float, default=24.0)
    queues = (("dlq", "the copy jobs' dead-letter queue"), ("scheduler-dlq", "the scheduler's dead-letter queue"))
    for name, what in queues:
        queue_cmd = sub.add_parser(name, help=what).add_subparsers(dest="action", required=True)
        queue_cmd.add_parser("count", help=f"messages in {what}")
        redrive_cmd = queue_cmd.add_parser("redrive", help="send them back to the copy queue")
        if name == "dlq":
            redrive_cmd.add_argument("--account", type=int, default=None)
        redrive_cmd.add_argument("--dry-run", action="store_true")
    sub.add_parser("schedules", help="an account's repeats and pending delayed copies").add_argument(
        "account_id", type=int
    )
    rules_cmd = sub.add_parser("rules").add_subparsers(dest="action", required=True)
    rules_cmd.add_parser("old-key", help="DP rules still signed with a previous client secret").add_argument(
        "--account", type=int, default=None
    )
    return parser


def _print(rows: object) -> None:
    print(json.dumps(rows, ensure_ascii=False, indent=2))


def _dlq(action: str, args: argparse.Namespace) -> int:
    from dealcopy import wiring
    from dealcopy.config import settings

    cfg = settings()
    if not cfg.copy_dlq_url or not cfg.copy_queue_url:
        print("set COPY_QUEUE_URL and COPY_DLQ_URL (stack outputs)", file=sys.stderr)
        return 2
    if action == "count":
        print(json.dumps(dlq.count(wiring.sqs(), cfg.copy_dlq_url)))
        return 0
    result = dlq.redrive(
        wiring.job_records(),
        wiring.sqs(),
        cfg.copy_dlq_url,
        cfg.copy_queue_url,
        account_id=args.account,
        dry_run=args.dry_run,
    )
    print(json.dumps(result))
    return 0


def _scheduler_dlq(action: str, args: argparse.Namespace) -> int:
    from dealcopy import wiring
    from dealcopy.config import settings
    from tools.admin import scheduler_dlq

    url, queue = os.environ.get("SCHEDULER_DLQ_URL", ""), settings().copy_queue_url
    if not url or not queue:
        print("set SCHEDULER_DLQ_URL and COPY_QUEUE_URL (stack outputs)", file=sys.stderr)
        return 2
    if action == "count":
        _print(scheduler_dlq.count(wiring.sqs(), url))
    else:
        _print(scheduler_dlq.redrive(wiring.sqs(), url, queue, dry_run=args.dry_run))
    return 0


def _status(account_id: int) -> Any:
    from dealcopy import wiring
    from dealcopy.config import settings
    from dealcopy.storage.dynamo import plain
    from tools.admin import inspect

    item = wiring.table(settings().accounts_table).get_item(Key={"account_id": account_id}).get("Item")
    account = wiring.accounts().get(account_id) if item else None
    licence = accounts.describe(account) if account else None
    if licence:
        licence = {k: licence[k] for k in ("licence", "valid_until", "days_left")}
    return inspect.account_status(plain(item) if item else None, licence)


def _old_key_rules(account_id: int | None) -> Any:
    from dealcopy import wiring
    from tools.admin.keys import old_key_rules

    ids = [account_id] if account_id is not None else sorted(a.account_id for a in wiring.accounts().scan())
    return old_key_rules(wiring.client_secrets(), wiring.signatures(), wiring.dp_rules().all(), ids)


def _inspect(args: argparse.Namespace) -> Any:
    from dealcopy import wiring
    from tools.admin import inspect

    if args.entity == "schedules":
        return inspect.schedules(wiring.schedule_store(), args.account_id)
    if args.entity == "rules":
        return _old_key_rules(args.account)
    if args.action == "recent":
        return inspect.recent_jobs(wiring.job_records(), args.account_id, hours=args.hours)
    if args.action == "status":
        return _status(args.account_id)
    return [dlq.describe_job(r) for r in wiring.job_records().failed_jobs(args.account)]


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.entity == "accounts" and args.action == "extend" and args.days <= 0:
        parser.error("--days must be positive")

    from dealcopy import wiring

    if args.entity == "dlq":
        return _dlq(args.action, args)
    if args.entity == "scheduler-dlq":
        return _scheduler_dlq(args.action, args)
    if args.entity in ("jobs", "schedules", "rules") or args.action == "status":
        rows = _inspect(args)
        if rows is None:
            print(f"account {args.account_id} not found", file=sys.stderr)
            return 1
        _print(rows)
        return 0
    rows = accounts.run(wiring.accounts(), args.action, getattr(args, "account_id", None), getattr(args, "days", 0))
    if rows is None:
        return 1
    _print(rows)
    return 0
