"""Integration fixtures: the emulator and moto over loopback, and the whole local stack in a subprocess.

The stack runs in its own process (like Lambda), so its environment never leaks
into this test process.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import boto3
import pytest

from amo_emulator.control import EmulatorControl
from amo_emulator.server import EmulatorServer
from devstack.moto_server import MotoServer
from devstack.provision import provision
from devstack.template import Template

ROOT = Path(__file__).resolve().parents[2]
_ids = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix}{os.getpid()}x{next(_ids)}"


@pytest.fixture(scope="session")
def emulator():
    with EmulatorServer() as server:
        yield SimpleNamespace(url=server.url, control=EmulatorControl(server.url))


@pytest.fixture(scope="session")
def moto_url():
    with MotoServer() as server:
        yield server.url


@pytest.fixture
def tables(moto_url):
    """The template's tables and queues in the moto server, under a stack name of this test's own."""
    template = Template()
    stack = unique("it")
    params = {
        **template.parameter_defaults(),
        "AWS::StackName": stack,
        "ClientSecretName": f"{stack}/client-secret",
        "AmoClientId": "client",
        "AmoRedirectUri": "https://api.example.test/oauth/callback",
    }

    def client(service: str):
        return boto3.client(service, endpoint_url=moto_url)

    provisioned = provision(
        template,
        dynamodb=client("dynamodb"),
        sqs=client("sqs"),
        secrets=client("secretsmanager"),
        params=params,
        client_secret="secret",
    )
    resource = boto3.resource("dynamodb", endpoint_url=moto_url)
    return SimpleNamespace(table=lambda logical: resource.Table(provisioned.physical[logical]))


@pytest.fixture(scope="session")
def stack():
    """`python -m devstack up` on free ports; yields what its READY line describes."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("AWS_ENDPOINT_URL", None)
    proc = subprocess.Popen(  # noqa: S603 - our own module
        [
            sys.executable,
            "-m",
            "devstack",
            "up",
            "--quiet",
            *("--gateway-port", "0", "--emulator-port", "0", "--moto-port", "0"),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    info = None
    give_up = time.monotonic() + 60
    while time.monotonic() < give_up:
        line = proc.stdout.readline()
        if line.startswith("READY "):
            info = json.loads(line[len("READY ") :])
            break
        if not line and proc.poll() is not None:
            break
    if info is None:
        proc.kill()
        pytest.fail("the local stack did not start")
    resource = boto3.resource("dynamodb", endpoint_url=info["moto_url"])
    yield SimpleNamespace(
        **info,
        control=EmulatorControl(info["emulator_url"]),
        table=lambda logical: resource.Table(info["physical"][logical]),
    )
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
