"""`python -m tools.bench_scale [--hooks N] [--accounts N --per-account N] [--only one|many] [--no-write]`.

Runs the multi-instance run (one account) and the multi-account run, prints their figures
and, unless `--no-write`, puts their section at the end of BENCHMARKS.md. Exits 1 when a
limit does not hold. Smaller sizes are for development and the smoke test.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from tools.bench import ROOT
from tools.bench_scale import many_accounts, one_account, report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench_scale", description=__doc__)
    parser.add_argument("--hooks", type=int, default=200, help="DP hooks of the one-account burst")
    parser.add_argument("--accounts", type=int, default=20)
    parser.add_argument("--per-account", type=int, default=50, help="DP hooks of each account")
    parser.add_argument("--only", choices=["one", "many"])
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    args = parser.parse_args(argv)
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
    one = one_account.median_run(args.hooks) if args.only != "many" else None
    many = many_accounts.run(args.accounts, args.per_account) if args.only != "one" else None
    text = report.section(one, many)
    if not args.no_write:
        report.write(ROOT / "BENCHMARKS.md", text)
    print(text)
    print(json.dumps({"one_account": one, "many_accounts": many}, indent=2, ensure_ascii=False, default=str))
    broken = report.failures(one, many)
    for line in broken:
        print(f"over the limit: {line}", file=sys.stderr)
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
