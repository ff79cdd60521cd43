"""Operator commands: `python -m dealcopy.admin accounts list|show ID|extend ID --days N`.

Runs with the operator's AWS credentials against the deployed tables (set
ACCOUNTS_TABLE to the stack's table name, see the stack outputs/README).
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dealcopy.admin", description=__doc__)
    sub = parser.add_subparsers(dest="entity", required=True)
    accounts_cmd = sub.add_parser("accounts").add_subparsers(dest="action", required=True)
    accounts_cmd.add_parser("list")
    accounts_cmd.add_parser("show").add_argument("account_id", type=int)
    extend = accounts_cmd.add_parser("extend")
    extend.add_argument("account_id", type=int)
    extend.add_argument("--days", type=int, required=True)
    args = parser.parse_args(argv)

    from dealcopy import wiring

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
