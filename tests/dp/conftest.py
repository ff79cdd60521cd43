"""Fixtures of the Digital Pipeline tests.

`dp_stack`: the local stack in a subprocess (like `tests/integration`'s `stack`), started with
what these tests need: scheduled functions only on demand (`POST /_devstack/schedule/...`), a
short amoCRM client timeout so injected timeouts cost seconds, not minutes. `aws`: in-process
moto with the template's tables and queues (unit tests of the worker).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import boto3
import pytest
from moto import mock_aws

from amo_emulator.control import EmulatorControl
from devstack.provision import provision
from devstack.template import Template

ROOT = Path(__file__).resolve().parents[2]
STACK_ENV = {"AMO_TIMEOUT": "2", "AMO_DEADLINE": "20", "AMO_MAX_ATTEMPTS": "8"}


@pytest.fixture(scope="session")
def dp_stack():
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("AWS_ENDPOINT_URL", None)
    extra = [arg for key, value in STACK_ENV.items() for arg in ("--env", f"{key}={value}")]
    proc = subprocess.Popen(  # noqa: S603 - our own module
        [
            sys.executable,
            "-m",
            "devstack",
            "up",
            "--quiet",
            *("--gateway-port", "0", "--emulator-port", "0", "--moto-port", "0"),
            *("--schedule-interval", "0"),
            *extra,
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
    resource = boto3.resource("dynamodb", endpoint_url=info["moto_url"], region_name=info["region"])
    yield SimpleNamespace(
        **info,
        control=EmulatorControl(info["emulator_url"]),
        table=lambda logical: resource.Table(info["physical"][logical]),
        dynamodb=resource,
        sqs=boto3.client("sqs", endpoint_url=info["moto_url"], region_name=info["region"]),
    )
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def aws():
    with mock_aws():
        template = Template()
        params = {
            **template.parameter_defaults(),
            "AWS::StackName": "dpunit",
            "AmoClientId": "client-1",
            "AmoRedirectUri": "https://api.example.test/oauth/callback",
        }
        provisioned = provision(
            template,
            dynamodb=boto3.client("dynamodb"),
            sqs=boto3.client("sqs"),
            secrets=boto3.client("secretsmanager"),
            params=params,
            client_secret="unit-secret",
        )
        resource = boto3.resource("dynamodb")
        yield SimpleNamespace(
            template=template,
            provisioned=provisioned,
            table=lambda logical: resource.Table(provisioned.physical[logical]),
            dynamodb=resource,
            sqs=boto3.client("sqs"),
        )
