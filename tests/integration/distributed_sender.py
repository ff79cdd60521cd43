"""One "Lambda instance" for the distributed budget test: its own process, client, limiter and store.

`python -m tests.integration.distributed_sender MOTO_URL TABLE EMULATOR_URL TOKEN ACCOUNT COUNT RATE`
sends COUNT requests as fast as its limiters (RATE per second) allow and prints one JSON line of what it saw.
"""

from __future__ import annotations

import json
import sys
from collections import Counter

import boto3

from dealcopy.amo.budget import SharedBudget
from dealcopy.amo.ratelimit import SlidingWindowLimiter
from dealcopy.storage.budget import DynamoSlotStore
from tests.integration.amo_helpers import client


def main(moto_url: str, table: str, emulator_url: str, token: str, account: str, count: str, rate: str) -> None:
    dynamodb = boto3.resource("dynamodb", endpoint_url=moto_url, region_name="eu-central-1")
    store = DynamoSlotStore(dynamodb.Table(table))
    budget = SharedBudget(account, store, local=SlidingWindowLimiter(rate=int(rate)), rate=int(rate))
    # A timeout or a dropped connection on a loaded machine is retried; a 429 would be too, and the test
    # still sees it in the emulator's count (the property is no 429 and at most the rate in any second).
    api = client(emulator_url, token, limiter=budget, attempts=3)
    statuses: Counter[str] = Counter()
    for _ in range(int(count)):
        try:
            api.get("/api/v4/account")
            statuses["200"] += 1
        except Exception as err:  # named with its cause: a 429 is the budget's failure, a timeout the machine's
            cause = getattr(err, "last", None)
            statuses[type(err).__name__ + (f"({type(cause).__name__}: {cause})" if cause else "")] += 1
    print(json.dumps({"statuses": statuses, "store_calls": budget.store_calls}), flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
