"""What the DP tests do over HTTP: install, sign a rule, set a DP trigger, send hooks, wait, look."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import boto3
from boto3.dynamodb.conditions import Key

from amo_emulator.dp import hook_payload
from amo_emulator.seed_demo import pipeline_id, status_id
from devstack.client import dp_hook_form as hook_form  # noqa: F401 - re-exported for the tests
from devstack.client import post_dp_hook as post_hook  # noqa: F401 - re-exported for the tests
from devstack.http import HTTP
from devstack.template import Template
from tests.integration.widget_helpers import ADMIN, call, install  # noqa: F401 - re-exported for the tests

T = TypeVar("T")
ROOT = Path(__file__).resolve().parents[2]


def stage(pipeline: str, name: str) -> dict[str, int]:
    return {"pipeline_id": pipeline_id(pipeline), "status_id": status_id(pipeline, name)}


def sign(stack, account, rule: dict[str, Any], **kwargs: Any) -> dict[str, str]:
    answer = call(stack, "POST", "/widget/dp/sign", account, json={"rule": rule}, **kwargs)
    assert answer.status_code == 200, answer.text
    return answer.json()


def add_trigger(stack, account, where: dict[str, int], signed: dict[str, str], **options: Any) -> dict[str, Any]:
    """The admin puts our action on a stage (the emulator then posts hooks as amoCRM does); returns the trigger."""
    return stack.control.add_dp_trigger(
        account["id"],
        pipeline_id=where["pipeline_id"],
        status_id=where["status_id"],
        url=f"{stack.gateway_url}/dp/hook",
        settings={"rule": signed["rule"], "signature": signed["signature"]},
        **options,
    )[-1]


def hook_json(account, lead_id: int, where: dict[str, int], signed: dict[str, str] | None, at: int) -> dict[str, Any]:
    return hook_payload(
        account_id=account["id"],
        subdomain=account["subdomain"],
        lead_id=lead_id,
        pipeline_id=where["pipeline_id"],
        status_id=where["status_id"],
        settings=signed or {},
        at=at,
    )


def admin(stack, *args: str) -> Any:
    """`python -m tools.admin ...` against the stack's moto, as an operator runs it; the printed JSON."""
    env = {
        **os.environ,
        "AWS_ENDPOINT_URL": stack.moto_url,
        "AWS_DEFAULT_REGION": stack.region,
        "JOBS_TABLE": stack.physical["JobsTable"],
        "ACCOUNTS_TABLE": stack.physical["AccountsTable"],
        "COPY_QUEUE_URL": stack.physical["CopyJobsQueue"],
        "COPY_DLQ_URL": stack.physical["CopyJobsDeadLetterQueue"],
        "SCHEDULER_DLQ_URL": stack.physical["SchedulerDeadLetterQueue"],
        "CLIENT_SECRET_ID": Template().parameter_defaults()["ClientSecretName"],
        "PYTHONPATH": str(ROOT / "layers" / "dealcopy"),
    }
    done = subprocess.run(  # noqa: S603 - our own module
        [sys.executable, "-m", "tools.admin", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def wait_for(probe: Callable[[], T], *, timeout: float = 30, what: str = "the condition", every: float = 0.2) -> T:
    give_up = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > give_up:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(every)


def jobs(stack, account) -> list[dict[str, Any]]:
    """The account's job records (as the worker wrote them)."""
    table = stack.table("JobsTable")
    items, kwargs = [], {}
    while True:
        page = table.query(
            KeyConditionExpression=Key("pk").eq(f"job#{account['id']}") & Key("sk").begins_with("job#"),
            ConsistentRead=True,
            **kwargs,
        )
        items.extend(page["Items"])
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


TERMINAL = {"done", "failed", "stopped", "duplicate"}


def settled(stack, account, count: int) -> list[dict[str, Any]] | None:
    """The job records once `count` of them exist and all are terminal."""
    found = jobs(stack, account)
    if len(found) >= count and all(j["state"] in TERMINAL for j in found):
        return found
    return None


def leads(stack, account) -> list[dict[str, Any]]:
    return stack.control.state(account["id"])["leads"]


def leads_in(stack, account, where: dict[str, int], since_id: int = 24_002_820) -> list[dict[str, Any]]:
    return [
        lead
        for lead in leads(stack, account)
        if (lead["pipeline_id"], lead["status_id"]) == (where["pipeline_id"], where["status_id"])
        and lead["id"] > since_id
    ]


def run_catch_up(stack) -> dict[str, Any]:
    answer = HTTP.post(f"{stack.gateway_url}/_devstack/schedule/CatchUpFunction", timeout=60)
    assert answer.status_code == 200, answer.text
    return answer.json()["result"]


def queue_depth(stack, logical: str) -> int:
    attrs = stack.sqs.get_queue_attributes(
        QueueUrl=stack.physical[logical],
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return int(attrs["ApproximateNumberOfMessages"]) + int(attrs["ApproximateNumberOfMessagesNotVisible"])


def take_dlq(stack, account) -> list[dict[str, Any]]:
    """Consume this account's DLQ messages (FIFO: a group's next ones come after its first are deleted)."""
    import json as _json

    url = stack.physical["CopyJobsDeadLetterQueue"]
    mine: list[dict[str, Any]] = []
    others: list[str] = []
    for _ in range(100):
        got = stack.sqs.receive_message(
            QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=60, AttributeNames=["MessageGroupId"]
        ).get("Messages", [])
        own = [m for m in got if m["Attributes"]["MessageGroupId"] == str(account["id"])]
        others.extend(m["ReceiptHandle"] for m in got if m not in own)
        if not own:
            break
        for m in own:
            mine.append(_json.loads(m["Body"]))
            stack.sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    for handle in others:
        stack.sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=handle, VisibilityTimeout=0)
    return mine


def notes_on(stack, account, lead_id: int) -> list[str]:
    lead = stack.control.lead(account["id"], lead_id)
    return [(n.get("params") or {}).get("text", "") for n in lead.get("notes") or []]


def rotate_client_secret(stack: Any, new: str, *, rotated_days_ago: float) -> None:
    """What the runbook says: amoCRM made a new secret; the old one moves to `previous_client_secret`."""
    value = {
        "client_secret": new,
        "previous_client_secret": stack.client_secret,
        "rotated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - rotated_days_ago * 86400)),
    }
    client = boto3.client("secretsmanager", endpoint_url=stack.moto_url, region_name=stack.region)
    name = Template().parameter_defaults()["ClientSecretName"]
    client.put_secret_value(SecretId=name, SecretString=json.dumps(value))
    stack.control.add_integration(stack.client_id, new, stack.redirect_uri)  # amoCRM holds the new one now
