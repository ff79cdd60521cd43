"""Integration fixtures: the emulator and moto over loopback, and the whole local stack in a subprocess.

The stack runs in its own process (like Lambda), so its environment never leaks
into this test process.
"""

from __future__ import annotations

import itertools
import os
from types import SimpleNamespace

import boto3
import pytest

from amo_emulator.control import EmulatorControl
from amo_emulator.server import EmulatorServer
from amo_emulator.state import EmulatorState
from devstack.moto_server import MotoServer
from devstack.provision import provision
from devstack.template import Template
from tests.support.rate import AMO_RATE
from tests.support.stack import local_stack

_ids = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix}{os.getpid()}x{next(_ids)}"


@pytest.fixture(scope="session")
def emulator():
    """An emulator whose accounts allow the tests' emulated amoCRM rate (tests/support/rate.py)."""
    with EmulatorServer(state=EmulatorState(default_rate=AMO_RATE)) as server:
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
    with local_stack() as stack:
        yield stack
