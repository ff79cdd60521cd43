"""Creates the template's DynamoDB tables, SQS queues, schedule groups and the client secret in moto.

Definitions come from template.yaml itself, so local tables and queues have the
same keys, TTL attributes, FIFO settings and redrive policy as production.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from typing import Any

from devstack.template import Resolver, Template

_QUEUE_SKIP = {"QueueName", "Tags"}


@dataclass
class Provisioned:
    physical: dict[str, str] = field(default_factory=dict)  # logical id -> Ref value
    attrs: dict[str, str] = field(default_factory=dict)  # "Logical.Attr" -> value

    def resolver(self, params: dict[str, str]) -> Resolver:
        return Resolver(params, self.physical, self.attrs)


def provision(
    template: Template,
    *,
    dynamodb: Any,
    sqs: Any,
    secrets: Any,
    params: dict[str, str],
    client_secret: str,
    scheduler: Any = None,
    region: str = "eu-central-1",
    account: str = "000000000000",
) -> Provisioned:
    """Create every table, queue and the secret; returns the ids to resolve `!Ref`/`!GetAtt` with."""
    out = Provisioned(attrs={"AWS::StackName": params["AWS::StackName"], "AWS::Region": region})
    resolve = out.resolver(params)
    for name, res in template.of_type("AWS::DynamoDB::Table").items():
        table = f"{params['AWS::StackName']}-{name}"
        _create_table(dynamodb, table, res["Properties"])
        out.physical[name] = table
        out.attrs[f"{name}.Arn"] = f"arn:aws:dynamodb:{region}:{account}:table/{table}"
    queues = template.of_type("AWS::SQS::Queue")
    # Dead-letter queues first: a redrive policy needs its target's ARN.
    for name in sorted(queues, key=lambda n: "RedrivePolicy" in queues[n]["Properties"]):
        props = resolve(queues[name]["Properties"])
        url = _create_queue(sqs, props)
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        out.physical[name] = url
        out.attrs.update({f"{name}.Arn": arn, f"{name}.QueueName": props["QueueName"], f"{name}.QueueUrl": url})
    _schedules(template, out, scheduler, resolve, region, account)
    # Stack processes sharing one moto (tools/bench_scale: Lambda instances) find it made already.
    with contextlib.suppress(secrets.exceptions.ResourceExistsException):
        secrets.create_secret(Name=params["ClientSecretName"], SecretString=client_secret)
    return out


def _schedules(
    template: Template, out: Provisioned, scheduler: Any, resolve: Resolver, region: str, account: str
) -> None:
    """Schedule groups in moto; IAM roles only get an ARN (moto's IAM is not consulted locally)."""
    for name in template.of_type("AWS::IAM::Role"):
        out.attrs[f"{name}.Arn"] = f"arn:aws:iam::{account}:role/{out.attrs['AWS::StackName']}-{name}"
    for name, res in template.of_type("AWS::Scheduler::ScheduleGroup").items():
        group = resolve(res["Properties"])["Name"]
        if scheduler is not None:
            # made already by another stack process sharing this moto
            with contextlib.suppress(scheduler.exceptions.ConflictException):
                scheduler.create_schedule_group(Name=group)
        out.physical[name] = group
        out.attrs[f"{name}.Arn"] = f"arn:aws:scheduler:{region}:{account}:schedule-group/{group}"


def _create_table(dynamodb: Any, table: str, props: dict[str, Any]) -> None:
    kwargs = {
        "TableName": table,
        "KeySchema": props["KeySchema"],
        "AttributeDefinitions": props["AttributeDefinitions"],
        "BillingMode": props.get("BillingMode", "PAY_PER_REQUEST"),
    }
    for key in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
        if key in props:
            kwargs[key] = props[key]
    try:
        dynamodb.create_table(**kwargs)
    except dynamodb.exceptions.ResourceInUseException:
        return  # made by another stack process sharing this moto (tools/bench_scale)
    ttl = props.get("TimeToLiveSpecification")
    if ttl and ttl.get("Enabled"):
        dynamodb.update_time_to_live(
            TableName=table, TimeToLiveSpecification={"AttributeName": ttl["AttributeName"], "Enabled": True}
        )


def _create_queue(sqs: Any, props: dict[str, Any]) -> str:
    attributes = {}
    for key, value in props.items():
        if key in _QUEUE_SKIP:
            continue
        if isinstance(value, dict):
            attributes[key] = json.dumps(value)
        elif isinstance(value, bool):
            attributes[key] = "true" if value else "false"
        else:
            attributes[key] = str(value)
    return sqs.create_queue(QueueName=props["QueueName"], Attributes=attributes)["QueueUrl"]
