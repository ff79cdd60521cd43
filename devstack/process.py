"""`python -m devstack up` in a process of its own, for the tests and the widget harness.

A separate process keeps the stack's environment (function settings, moto endpoints) out of
the caller's, as Lambda would; its `READY {json}` line says where everything listens.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
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
    command = [sys.executable, "-m", "devstack", "up", "--quiet", "--stop-with-stdin", *FREE_PORTS, *args]
    # A session of its own, so the stop below reaches the function processes of `--built` too; its stdin is
    # our pipe, so a test process killed before that stop still takes the stack with it.
    proc = subprocess.Popen(  # noqa: S603 - our own module
        command, cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    info = _ready(proc, timeout)
    try:
        yield info
    finally:
        # Everything the stack holds is in its memory, so nothing is lost by killing it (with the function
        # processes of `--built`, in its process group); an orderly stop, servers and pollers one after
        # another, took over a second, paid by each test module that starts a stack of its own.
        _kill(proc)


def _ready(proc: subprocess.Popen[str], timeout: float) -> dict[str, Any]:
    give_up = time.monotonic() + timeout
    while time.monotonic() < give_up:
        line = proc.stdout.readline()
        if line.startswith("READY "):
            return json.loads(line[len("READY ") :])
        if not line and proc.poll() is not None:
            break
    _kill(proc)
    raise RuntimeError("the local stack did not start")


def _kill(proc: subprocess.Popen[str]) -> None:
    with contextlib.suppress(ProcessLookupError):  # it died on its own
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=15)
