"""The operator CLI's questions, against the template's tables and queues in moto (`python -m tools.admin`).

`schedules ID`, `accounts status ID` and `scheduler-dlq count|redrive`; `jobs recent` and `rules old-key`
run against the local stack in tests/dp/test_secret_rotation_http.py.
"""

from __future__ import annotations

import base64
import json
import time
from datetime import UTC, datetime

import pytest

from dealcopy.amo.oauth import TokenPair
from dealcopy.config import settings
from dealcopy.records.schedule import Repeat
from dealcopy.records.schedule_ids import repeat_id
from dealcopy.records.scheduled_fire import fire_input
from dealcopy.storage.accounts import AccountRepository
from dealcopy.storage.schedules import ScheduleRepository
from tests.schedules.conftest import make_pending
from tests.schedules.test_repository import SCHEDULE
from tools.admin import cli as admin

ACCOUNT = 30000001


@pytest.fixture
def env(aws, monkeypatch):
    physical = aws.provisioned.physical
    monkeypatch.setenv("ACCOUNTS_TABLE", physical["AccountsTable"])
    monkeypatch.setenv("JOBS_TABLE", physical["JobsTable"])
    monkeypatch.setenv("COPY_QUEUE_URL", physical["CopyJobsQueue"])
    monkeypatch.setenv("SCHEDULER_DLQ_URL", physical["SchedulerDeadLetterQueue"])
    from dealcopy import wiring

    def reset():
        settings.cache_clear()
        for cached in (wiring.accounts, wiring.dynamodb, wiring.schedule_store, wiring.sqs):
            cached.cache_clear()

    reset()
    yield aws
    reset()


def _run(capsys, *args: str) -> object:
    assert admin.main(list(args)) == 0
    return json.loads(capsys.readouterr().out)


def _jwt(claims: dict) -> str:
    part = lambda data: base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()  # noqa: E731
    return f"{part({'alg': 'RS256'})}.{part(claims)}.sig"


def test_schedules_lists_an_accounts_repeats_and_pending_copies(env, capsys):
    store = ScheduleRepository(env.table("JobsTable"))
    store.create_repeat(Repeat(account_id=7, repeat_id=repeat_id(7, "k"), lead_id=100, rule="{}", schedule=SCHEDULE))
    store.put_pending(make_pending(datetime(2027, 3, 1, 7, tzinfo=UTC)))
    shown = _run(capsys, "schedules", "7")
    (repeat,) = shown["repeats"]
    assert (repeat["lead_id"], repeat["state"], repeat["schedule"]["timezone"]) == (100, "active", "Europe/Moscow")
    (pending,) = shown["pending_copies"]
    assert (pending["lead_id"], pending["job_id"], pending["due_at"]) == (101, "dp-1", "2027-03-01T07:00:00+00:00")
    assert _run(capsys, "schedules", "8") == {"repeats": [], "pending_copies": []}


def test_account_status_gives_token_age_and_licence_and_never_the_tokens(env, capsys):
    issued = int(time.time()) - 5 * 3600
    pair = TokenPair(access_token=_jwt({"iat": issued}), refresh_token="refresh-secret", expires_at=issued + 86400)
    AccountRepository(env.table("AccountsTable")).record_install(
        account_id=ACCOUNT, subdomain="demo", domain="demo.amocrm.ru", tokens=pair, trial_days=14
    )
    env.table("AccountsTable").update_item(  # a time zone, shown when the account item holds one
        Key={"account_id": ACCOUNT},
        UpdateExpression="SET #tz = :tz",
        ExpressionAttributeNames={"#tz": "timezone"},
        ExpressionAttributeValues={":tz": "Asia/Omsk"},
    )
    status = _run(capsys, "accounts", "status", str(ACCOUNT))
    assert status["status"] == "active" and status["timezone"] == "Asia/Omsk"
    assert status["licence"]["licence"] == "trial" and status["licence"]["days_left"] == 14
    assert status["token"]["age_hours"] == 5.0 and status["token"]["expired"] is False
    assert "refresh-secret" not in json.dumps(status) and pair.access_token not in json.dumps(status)
    assert admin.main(["accounts", "status", "404"]) == 1


def test_account_status_of_a_disconnected_account_says_why(env, capsys):
    repo = AccountRepository(env.table("AccountsTable"))
    pair = TokenPair(access_token="opaque", refresh_token="r", expires_at=int(time.time()) - 60)
    repo.record_install(account_id=ACCOUNT, subdomain="demo", domain="demo.amocrm.ru", tokens=pair, trial_days=14)
    env.table("AccountsTable").update_item(
        Key={"account_id": ACCOUNT},
        UpdateExpression="SET #s = :s, disconnected_reason = :r",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":s": "reinstall_required", ":r": "refresh refused: invalid_grant"},
    )
    status = _run(capsys, "accounts", "status", str(ACCOUNT))
    assert status["status"] == "reinstall_required"
    assert status["disconnected_reason"] == "refresh refused: invalid_grant"
    assert status["token"]["expired"] is True and status["token"]["age_hours"] is None  # not a JWT: no iat


def _dead_fire(env, account_id: int, repeat: str) -> None:
    """What EventBridge Scheduler leaves in its DLQ: the input, with the error in the attributes."""
    body = fire_input("repeat", account_id, repeat).replace("<aws.scheduler.scheduled-time>", "2027-03-01T07:00:00Z")
    env.sqs.send_message(
        QueueUrl=env.provisioned.physical["SchedulerDeadLetterQueue"],
        MessageBody=body,
        MessageAttributes={
            "ERROR_CODE": {"DataType": "String", "StringValue": "AWS.SQS.AccessDenied"},
            "ERROR_MESSAGE": {"DataType": "String", "StringValue": "not authorized to perform sqs:SendMessage"},
        },
    )


def test_scheduler_dlq_counts_lists_and_redrives_fires_into_the_accounts_group(env, capsys):
    _dead_fire(env, 7, "r-1")
    _dead_fire(env, 8, "r-2")
    env.sqs.send_message(QueueUrl=env.provisioned.physical["SchedulerDeadLetterQueue"], MessageBody="garbage")
    assert _run(capsys, "scheduler-dlq", "count")["ApproximateNumberOfMessages"] == 3
    looked = _run(capsys, "scheduler-dlq", "redrive", "--dry-run")
    assert looked["moved"] == 0 and looked["unreadable"] == 1
    assert sorted((f["account_id"], f["id"], f["error_code"]) for f in looked["fires"]) == [
        (7, "r-1", "AWS.SQS.AccessDenied"),
        (8, "r-2", "AWS.SQS.AccessDenied"),
    ]
    moved = _run(capsys, "scheduler-dlq", "redrive")
    assert moved["moved"] == 2 and moved["unreadable"] == 1
    got = env.sqs.receive_message(
        QueueUrl=env.provisioned.physical["CopyJobsQueue"], MaxNumberOfMessages=10, AttributeNames=["MessageGroupId"]
    )["Messages"]
    assert sorted((m["Attributes"]["MessageGroupId"], json.loads(m["Body"])["id"]) for m in got) == [
        ("7", "r-1"),
        ("8", "r-2"),
    ]
    assert _run(capsys, "scheduler-dlq", "count")["ApproximateNumberOfMessages"] == 1  # the unreadable one stays
