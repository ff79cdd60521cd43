"""One amoCRM budget per account across OS processes (issue 10, check 1): moto server + emulator over HTTP."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.conftest import unique

ROOT = Path(__file__).resolve().parents[2]
PER_PROCESS = 100


@pytest.mark.slow  # 300 requests at < 7/s take about 50 s
def test_three_processes_hammering_one_account_stay_within_7_per_second(emulator, moto_url, tables):
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
    ]
    procs = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True) for _ in range(3)]  # noqa: S603
    reports = [json.loads(proc.communicate(timeout=180)[0].strip().splitlines()[-1]) for proc in procs]

    assert [r["statuses"] for r in reports] == [{"200": PER_PROCESS}] * 3
    stats = emulator.control.stats(account)
    assert stats["api_total"] == 3 * PER_PROCESS
    assert stats["status_429"] == 0
    assert stats["max_per_second"] <= 7
    # Batched grants: well under one DynamoDB write per amoCRM request.
    assert sum(r["store_calls"] for r in reports) < 3 * PER_PROCESS
    print("dynamodb writes per request:", sum(r["store_calls"] for r in reports) / (3 * PER_PROCESS))
