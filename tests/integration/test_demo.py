"""`make demo` must keep working: it is the first thing a new user runs."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_demo_runs_end_to_end_and_exits_0():
    done = subprocess.run(
        [sys.executable, "-m", "devstack", "demo"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert "/oauth/callback -> 200, repeated call -> 200" in out
    assert "6.7 anonymised for a partner: #" in out
    assert "hook -> 200 at once -> SQS FIFO" in out and "copies of the deal there: 1" in out
    assert "forged signature -> 401, genuine -> 200; account is now uninstalled" in out
