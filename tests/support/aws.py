"""In-process moto with template.yaml's tables, queues and client secret (unit tests of the stores and the worker)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace

import boto3
from moto import mock_aws

from devstack import moto_speedups
from devstack.provision import provision
from devstack.template import Template


@contextmanager
def mocked_aws(stack_name: str) -> Iterator[SimpleNamespace]:
    """The template's resources under `stack_name`; `dynamodb` is the client, `resource` the boto3 resource."""
    moto_speedups.apply()
    with mock_aws():
        template = Template()
        params = {
            **template.parameter_defaults(),
            "AWS::StackName": stack_name,
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
            params=params,
            provisioned=provisioned,
            table=lambda logical: resource.Table(provisioned.physical[logical]),
            sqs=boto3.client("sqs"),
            dynamodb=boto3.client("dynamodb"),
            resource=resource,
            secrets=boto3.client("secretsmanager"),
        )
