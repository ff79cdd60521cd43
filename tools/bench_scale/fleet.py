"""The processes of a scale run: the amoCRM emulator, one moto server and N stack instances.

Every piece is an OS process of its own, as on AWS: amoCRM and AWS are remote, and each
Lambda instance has its own interpreter. The first instance makes the tables and the queue
in moto; the others find them there. All of them play one integration (same client id and
secret), so a widget token or a DP rule signed for one is good for all.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import threading
import uuid
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import boto3

from amo_emulator.control import EmulatorControl
from dealcopy.storage.dynamo import Table
from dealcopy.storage.jobs import JobRepository
from devstack.client import StackInfo
from devstack.process import _ready
from devstack.stack import REGION, free_port
from tools.bench import ROOT, _install, _out_of_process
from tools.bench_scale.measure import wait_drained

_LOCAL_AWS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
}


@dataclass
class Instance:
    """One stack process ("Lambda instance") and where it listens."""

    proc: subprocess.Popen[str]
    info: dict[str, Any]
    output: deque[str] = field(default_factory=lambda: deque(maxlen=200))

    def ready(self) -> None:
        """Wait for the READY line, then keep reading its output (a full pipe would stall it)."""
        self.info = _ready(self.proc, 120)
        threading.Thread(target=lambda: self.output.extend(self.proc.stdout), daemon=True).start()

    @property
    def stack(self) -> StackInfo:
        return StackInfo.from_ready(self.info)

    @property
    def gateway_url(self) -> str:
        return self.info["gateway_url"]


def launch(
    emulator_url: str, moto_url: str, client_id: str, client_secret: str, *, poll: bool, settings: Sequence[str] = ()
) -> Instance:
    """Start one stack process of the integration `client_id` (a worker when `poll`); call `ready()` next.
    `settings`: `NAME=VALUE` environment of its functions."""
    env = {
        **os.environ,
        **_LOCAL_AWS,
        "PYTHONUNBUFFERED": "1",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "emulator"), str(ROOT / "layers" / "dealcopy")]),
        "BENCH_CLIENT_ID": client_id,
        "BENCH_CLIENT_SECRET": client_secret,
        "POWERTOOLS_LOG_LEVEL": "WARNING",
    }
    env.pop("AWS_ENDPOINT_URL", None)
    command = [sys.executable, "-m", "tools.bench_scale.instance", "--emulator-url", emulator_url]
    command += ["--moto-url", moto_url, *(["--poll"] if poll else []), *(f"--env={pair}" for pair in settings)]
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # noqa: S603
    return Instance(proc, {})


class Fleet:
    """`with Fleet([False, True]) as fleet:` one instance per entry; True: it is a worker (polls the queue)."""

    def __init__(self, workers: list[bool]) -> None:
        self._workers = workers
        self._client_id = str(uuid.uuid4())
        self._client_secret = secrets.token_urlsafe(32)
        self._servers: list[subprocess.Popen[str]] = []
        self.instances: list[Instance] = []
        self.control: EmulatorControl | None = None
        self.moto_url = ""

    def __enter__(self) -> Fleet:
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        if kind is not None:  # what the instances logged last says why
            for n, instance in enumerate(self.instances):
                tail = [line.rstrip()[:300] for line in list(instance.output)[-8:]]
                print(f"--- instance {n}, last lines:", *tail, sep="\n  ", file=sys.stderr)
        self.stop()

    def _start(self) -> None:
        port = free_port("127.0.0.1")
        emulator, emulator_url = _out_of_process(
            ["-m", "amo_emulator", "--port", str(port), "--log-level", "warning"], f"http://127.0.0.1:{port}"
        )
        self._servers.append(emulator)
        moto, self.moto_url = _out_of_process(["-m", "devstack.moto_server"], "READY")
        self._servers.append(moto)
        self.control = EmulatorControl(emulator_url)
        # The first instance makes the tables and the queue; the rest start together once they exist.
        first = self._launch(emulator_url, self._workers[0])
        first.ready()
        for instance in [self._launch(emulator_url, poll) for poll in self._workers[1:]]:
            instance.ready()

    def _launch(self, emulator_url: str, poll: bool) -> Instance:
        instance = launch(emulator_url, self.moto_url, self._client_id, self._client_secret, poll=poll)
        self.instances.append(instance)  # in launch order: the caller's roles index this list
        return instance

    def stop(self) -> None:
        for proc in [i.proc for i in self.instances] + self._servers[::-1]:
            proc.terminate()
        for proc in [i.proc for i in self.instances] + self._servers:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
        self.instances, self._servers = [], []

    # -- what the runs need of it ------------------------------------------------------
    def install(self, subdomain: str, via: Instance) -> dict[str, Any]:
        """A fresh emulated account (7 requests/s) with the widget installed through `via`'s OAuth route."""
        # Each instance has its own gateway, so its own redirect URI: register the one amoCRM redirects to.
        self.control.add_integration(self._client_id, self._client_secret, via.stack.redirect_uri)
        return _install(via.stack, self.control, subdomain)

    def jobs(self) -> JobRepository:
        """The shared jobs table, read the way the operator tools read it."""
        resource = boto3.resource("dynamodb", endpoint_url=self.moto_url, region_name=REGION, **_credentials())
        return JobRepository(Table(resource.Table(self._physical("JobsTable")), resource))

    def queue(self) -> tuple[Any, str]:
        """An SQS client and the copy queue's URL."""
        sqs = boto3.client("sqs", endpoint_url=self.moto_url, region_name=REGION, **_credentials())
        return sqs, self._physical("CopyJobsQueue")

    def wait_drained(self, expected: dict[int, int], give_up: float = 300) -> tuple[float, dict[int, Any]]:
        """When the copy queue emptied with every account's `expected` DP jobs ended, and their states."""
        return wait_drained(*self.queue(), self.jobs(), expected, give_up=give_up)

    def _physical(self, logical: str) -> str:
        return self.instances[0].info["physical"][logical]


def _credentials() -> dict[str, str]:
    return {
        "aws_access_key_id": _LOCAL_AWS["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": _LOCAL_AWS["AWS_SECRET_ACCESS_KEY"],
        "aws_session_token": _LOCAL_AWS["AWS_SESSION_TOKEN"],
    }
