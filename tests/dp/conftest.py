"""Fixtures of the Digital Pipeline tests.

`dp_stack`: the local stack in a subprocess (like `tests/integration`'s `stack`), started with
what these tests need: scheduled functions only on demand (`POST /_devstack/schedule/...`), a
short amoCRM client timeout so injected timeouts cost seconds, not minutes. `aws`: in-process
moto with the template's tables and queues (unit tests of the worker); `emulator`: the amoCRM
emulator over loopback for them, one per test module, and its control client.
"""

from __future__ import annotations

import pytest

from amo_emulator.control import EmulatorControl
from amo_emulator.server import EmulatorServer
from tests.support.aws import mocked_aws
from tests.support.stack import local_stack

STACK_ENV = {"AMO_TIMEOUT": "2", "AMO_DEADLINE": "20", "AMO_MAX_ATTEMPTS": "8"}


@pytest.fixture(scope="session")
def dp_stack():
    extra = [arg for key, value in STACK_ENV.items() for arg in ("--env", f"{key}={value}")]
    with local_stack("--schedule-interval", "0", *extra) as stack:
        yield stack


@pytest.fixture
def aws():
    with mocked_aws("dpunit") as aws:
        aws.dynamodb = aws.resource  # the worker's stores take the DynamoDB resource
        yield aws


@pytest.fixture(scope="module")
def emulator():
    with EmulatorServer() as server:
        yield server, EmulatorControl(server.url)
