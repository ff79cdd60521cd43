"""One amoCRM budget per account across OS processes: moto server + emulator over HTTP.

At the tests' emulated rate (tests/support/rate.py): the property (no 429, at most the rate in any
second) is the same at 7/s, which `make bench` measures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.conftest import unique
from tests.support.rate import AMO_RATE

ROOT = Path(__file__).resolve().parents[2]
PER_PROCESS = 100


@pytest.mark.slow  # 300 requests: about 50 s at 7/s, a few seconds at the emulated rate
def test_three_processes_hammering_one_account_stay_within_the_rate(emulator, moto_url, tables):
    connected = emulator.control.connect(unique("budget"), client_id=unique("client"))
    account = connected["account"]["id"]
    table = tables.table("AmoBudgetTable").name
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "layers" / "dealcopy"), str(ROOT / "emulator")]),
    }
    command = [
        sys.executable,
        "-m",
        "tests.integration.distributed_sender",
        moto_url,
        table,
        emulator.url,
        connected["tokens"]["access_token"],
        str(account),
        str(PER_PROCESS),
        str(AMO_RATE),
    ]
    procs = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True) for _ in range(3)]  # noqa: S603
    reports = [json.loads(proc.communicate(timeout=180)[0].strip().splitlines()[-1]) for proc in procs]

    assert [r["statuses"] for r in reports] == [{"200": PER_PROCESS}] * 3
    stats = emulator.control.stats(account)
    assert stats["api_total"] == 3 * PER_PROCESS
    assert stats["status_429"] == 0
    assert stats["max_per_second"] <= AMO_RATE
    # Batched grants: well under one DynamoDB write per amoCRM request.
    assert sum(r["store_calls"] for r in reports) < 3 * PER_PROCESS
    print("dynamodb writes per request:", sum(r["store_calls"] for r in reports) / (3 * PER_PROCESS))
