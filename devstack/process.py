"""`python -m devstack up` in a process of its own, for the tests and the widget harness.

A separate process keeps the stack's environment (function settings, moto endpoints) out of
the caller's, as Lambda would; its `READY {json}` line says where everything listens.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FREE_PORTS = ("--gateway-port", "0", "--emulator-port", "0", "--moto-port", "0")


@contextmanager
def stack_process(*args: str, timeout: float = 60) -> Iterator[dict[str, Any]]:
    """The stack on free ports with the extra `up` options `args`; yields its READY description."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("AWS_ENDPOINT_URL", None)
    command = [sys.executable, "-m", "devstack", "up", "--quiet", *FREE_PORTS, *args]
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)  # noqa: S603 - our own module
    info = _ready(proc, timeout)
    try:
        yield info
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def _ready(proc: subprocess.Popen[str], timeout: float) -> dict[str, Any]:
    give_up = time.monotonic() + timeout
    while time.monotonic() < give_up:
        line = proc.stdout.readline()
        if line.startswith("READY "):
            return json.loads(line[len("READY ") :])
        if not line and proc.poll() is not None:
            break
    proc.kill()
    raise RuntimeError("the local stack did not start")
