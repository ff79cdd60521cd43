"""The whole local stack in a subprocess (`devstack.process`), with clients of its emulator, tables and queues."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace

import boto3

from amo_emulator.control import EmulatorControl
from devstack.client import wait_idle
from devstack.process import stack_process
from tests.support.rate import STACK_ARGS


@contextmanager
def local_stack(*args: str) -> Iterator[SimpleNamespace]:
    """`python -m devstack up` on free ports with the extra options `args`; yields what its READY line describes.

    The stack's emulator and functions run at the tests' emulated amoCRM rate (tests/support/rate.py)."""
    with stack_process(*STACK_ARGS, *args) as info:
        resource = boto3.resource("dynamodb", endpoint_url=info["moto_url"], region_name=info["region"])
        yield SimpleNamespace(
            **info,
            control=EmulatorControl(info["emulator_url"]),
            idle=lambda timeout=30.0: wait_idle(SimpleNamespace(**info), timeout),
            table=lambda logical: resource.Table(info["physical"][logical]),
            dynamodb=resource,
            sqs=boto3.client("sqs", endpoint_url=info["moto_url"], region_name=info["region"]),
        )
