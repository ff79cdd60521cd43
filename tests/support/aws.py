"""In-process moto with template.yaml's tables, queues and client secret (unit tests of the stores and the worker)."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace

import boto3
from moto import mock_aws

from devstack import moto_speedups
from devstack.provision import provision
from devstack.template import Template


@functools.cache
def _clients() -> SimpleNamespace:
    """The clients, made once per process: moto intercepts every client made after it is imported, while a
    mock is active, and making them took half of each test's set-up (service models, endpoint rules)."""
    return SimpleNamespace(
        dynamodb=boto3.client("dynamodb"),
        sqs=boto3.client("sqs"),
        secrets=boto3.client("secretsmanager"),
        resource=boto3.resource("dynamodb"),
    )


@contextmanager
def mocked_aws(stack_name: str) -> Iterator[SimpleNamespace]:
    """The template's resources under `stack_name`; `dynamodb` is the client, `resource` the boto3 resource."""
    moto_speedups.apply()
    with mock_aws():
        clients = _clients()
        template = Template()
        params = {
            **template.parameter_defaults(),
            "AWS::StackName": stack_name,
            "AmoClientId": "client-1",
            "AmoRedirectUri": "https://api.example.test/oauth/callback",
        }
        provisioned = provision(
            template,
            dynamodb=clients.dynamodb,
            sqs=clients.sqs,
            secrets=clients.secrets,
            params=params,
            client_secret="unit-secret",
        )
        yield SimpleNamespace(
            template=template,
            params=params,
            provisioned=provisioned,
            table=lambda logical: clients.resource.Table(provisioned.physical[logical]),
            sqs=clients.sqs,
            dynamodb=clients.dynamodb,
            resource=clients.resource,
            secrets=clients.secrets,
        )
