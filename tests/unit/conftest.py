"""Unit fixtures: in-process moto with the tables and queues of template.yaml."""

from types import SimpleNamespace

import boto3
import pytest
from moto import mock_aws

from devstack.provision import provision
from devstack.template import Template


@pytest.fixture
def aws():
    with mock_aws():
        template = Template()
        params = {
            **template.parameter_defaults(),
            "AWS::StackName": "unit",
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
            secrets=boto3.client("secretsmanager"),
        )
