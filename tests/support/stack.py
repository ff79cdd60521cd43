"""The whole local stack in a subprocess (`devstack.process`), with clients of its emulator, tables and queues."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace

import boto3
import httpx

from amo_emulator.control import EmulatorControl
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
            idle=lambda timeout=30.0: wait_idle(info["gateway_url"], timeout),
            table=lambda logical: resource.Table(info["physical"][logical]),
            dynamodb=resource,
            sqs=boto3.client("sqs", endpoint_url=info["moto_url"], region_name=info["region"]),
        )


def wait_idle(gateway_url: str, timeout: float = 30.0) -> float:
    """Blocks until the stack has nothing in flight (`GET /_devstack/idle`); returns the seconds waited.

    Use it instead of sleeping: after a hook, to let its job (and retries) finish; before asserting
    that something did not happen (a duplicate copy), since anything that could happen has by then."""
    answer = httpx.get(f"{gateway_url}/_devstack/idle", params={"timeout": timeout}, timeout=timeout + 10)
    assert answer.status_code == 200, f"the local stack is still busy after {timeout} s: {answer.text}"
    return answer.json()["waited"]
