"""Parses the operator's command line and prints each answer as JSON."""

from __future__ import annotations

import argparse
import json
import sys

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


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.entity == "accounts" and args.action == "extend" and args.days <= 0:
        parser.error("--days must be positive")

    from dealcopy import wiring

    if args.entity == "jobs":
        _print([dlq.describe_job(r) for r in wiring.job_records().failed_jobs(args.account)])
        return 0
    if args.entity == "dlq":
        return _dlq(args.action, args)
    rows = accounts.run(wiring.accounts(), args.action, getattr(args, "account_id", None), getattr(args, "days", 0))
    if rows is None:
        return 1
    _print(rows)
    return 0
