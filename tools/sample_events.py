"""Writes the sample events of this feature into events/ (`python -m tools.sample_events`).

Realistic and self-consistent: the DP rule is the canonical JSON `/widget/dp/sign` returns for
the manual's handover (6.6), signed with the sample client secret below for the demo account,
so `sam local invoke DpHookFunction -e events/dp_hook_form.json` passes the signature check when
the function's secret is `SAMPLE_CLIENT_SECRET`. The worker event carries the job message the
hook would queue. Re-run after changing the message or rule models.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "layers" / "dealcopy"), str(ROOT / "emulator")]

SAMPLE_CLIENT_SECRET = "sample-client-secret-not-a-real-one-0123456789"  # noqa: S105 - a documented sample
ACCOUNT_ID = 30_000_001
SUBDOMAIN = "demo"
EVENT_TIME = 1_795_774_500
HOST = "abc123.execute-api.eu-central-1.amazonaws.com"
QUEUE_ARN = "arn:aws:sqs:eu-central-1:123456789012:amo-dealcopy-copy-jobs.fifo"


def _http(method: str, path: str, *, route: str | None = None, body: str | None = None, **headers: str) -> dict:
    route = route or path
    return {
        "version": "2.0",
        "routeKey": f"{method} {route}",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {"host": HOST, "accept-language": "ru-RU,ru;q=0.9,en;q=0.8", **headers},
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "abc123",
            "domainName": HOST,
            "domainPrefix": "abc123",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "185.12.34.56",
                "userAgent": headers.get("user-agent", "Mozilla/5.0"),
            },
            "requestId": "JKJaXmPLvHcESHA=",
            "routeKey": f"{method} {route}",
            "stage": "$default",
            "time": "27/Nov/2026:10:15:00 +0000",
            "timeEpoch": EVENT_TIME * 1000,
        },
        "isBase64Encoded": False,
        **({"body": body} if body is not None else {}),
    }


def _widget(method: str, path: str, *, route: str | None = None, body: Any = None) -> dict:
    headers = {"origin": f"https://{SUBDOMAIN}.amocrm.ru", "x-auth-token": "<one-time JWT from $authorizedAjax>"}
    if body is not None:
        headers["content-type"] = "application/json"
    event = _http(
        method, path, route=route, body=json.dumps(body, ensure_ascii=False) if body is not None else None, **headers
    )
    if route and "{" in route:
        event["pathParameters"] = {"batch_id": path.rsplit("/", 1)[-1]}
    return event


def _preflight(path: str, method: str) -> dict:
    return _http(
        "OPTIONS",
        path,
        **{
            "origin": f"https://{SUBDOMAIN}.amocrm.ru",
            "access-control-request-method": method,
            "access-control-request-headers": "x-auth-token",
        },
    )


def build() -> dict[str, dict]:
    from amo_emulator.dp import form_body, hook_payload
    from amo_emulator.seed_demo import CATALOGS, FIELD, USERS, pipeline_id, status_id
    from dealcopy.copying.rules import canonical_rule, parse_rule
    from dealcopy.dp.hook import DpHook
    from dealcopy.dp.intake import job_message
    from dealcopy.dp.signing import sign
    from dealcopy.jobs.bulk import batch_id_of, messages_for

    rule = {
        "pipeline_id": pipeline_id("Выполнение"),
        "status_id": status_id("Выполнение", "В работе"),
        "responsible": {"mode": "fixed", "user_id": USERS["Артем Иванович"]},
        "fields": sorted(FIELD[n] for n in ("Спецификация", "Услуги", "Срочно", "Дата отгрузки")),
        "catalogs": [CATALOGS["Товары"]],
        "copy_tags": False,
    }
    canonical = canonical_rule(parse_rule(rule))
    signature = sign(SAMPLE_CLIENT_SECRET, ACCOUNT_ID, canonical)
    trigger = {"pipeline_id": pipeline_id("Воронка"), "status_id": status_id("Воронка", "Оплачен счёт")}
    hook = hook_payload(
        account_id=ACCOUNT_ID,
        subdomain=SUBDOMAIN,
        lead_id=24_002_811,
        pipeline_id=trigger["pipeline_id"],
        status_id=trigger["status_id"],
        settings={"rule": canonical, "signature": signature},
        at=EVENT_TIME,
    )
    amo = {"user-agent": "amoCRM-Webhooks/3.0"}
    message = job_message(
        DpHook(
            ACCOUNT_ID,
            SUBDOMAIN,
            24_002_811,
            trigger["pipeline_id"],
            trigger["status_id"],
            EVENT_TIME,
            "15",
            None,
            None,
        ),
        canonical,
    )
    record = {
        "messageId": "6a1f4c0e-8f5b-4d4f-9d7e-2c5f1a0b3e11",
        "receiptHandle": "AQEB...",
        "body": message.to_json(),
        "attributes": {
            "ApproximateReceiveCount": "1",
            "SentTimestamp": f"{EVENT_TIME}123",
            "SenderId": "AROAEXAMPLE",
            "ApproximateFirstReceiveTimestamp": f"{EVENT_TIME}150",
            "SequenceNumber": "18849496460467696128",
            "MessageGroupId": str(ACCOUNT_ID),
            "MessageDeduplicationId": message.dedup_id(),
        },
        "messageAttributes": {},
        "md5OfBody": "e4e68fb7bd0e697a0ae8f1bb342846b3",
        "eventSource": "aws:sqs",
        "eventSourceARN": QUEUE_ARN,
        "awsRegion": "eu-central-1",
    }
    bulk_ids = [24_002_812, 24_002_813, 24_002_814]
    batch_id = batch_id_of(ACCOUNT_ID, "bulk-c0ffee00-0000-4000-8000-000000000002")
    (bulk_message,) = messages_for(ACCOUNT_ID, batch_id, bulk_ids, canonical, USERS["Евгений Агеев"])
    bulk_record = {
        **record,
        "messageId": "7b2e5d1f-9a6c-4e5a-8e8f-3d6a2b1c4f22",
        "body": bulk_message.to_json(),
        "attributes": {**record["attributes"], "MessageDeduplicationId": bulk_message.dedup_id()},
    }
    return {
        "dp_hook_form.json": _http(
            "POST",
            "/dp/hook",
            body=form_body(hook),
            **amo,
            **{"content-type": "application/x-www-form-urlencoded"},
        ),
        "dp_hook_json.json": _http(
            "POST", "/dp/hook", body=json.dumps(hook, ensure_ascii=False), **amo, **{"content-type": "application/json"}
        ),
        "worker_sqs.json": {"Records": [record, bulk_record]},
        "catchup_schedule.json": {
            "version": "0",
            "id": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa",
            "detail-type": "Scheduled Event",
            "source": "aws.events",
            "account": "123456789012",
            "time": "2026-11-27T10:15:00Z",
            "region": "eu-central-1",
            "resources": ["arn:aws:events:eu-central-1:123456789012:rule/amo-dealcopy-CatchUpFunctionEvery5Minutes"],
            "detail": {},
        },
        "widget_dp_sign.json": _widget("POST", "/widget/dp/sign", body={"rule": rule}),
        "widget_dp_sign_preflight.json": _preflight("/widget/dp/sign", "POST"),
        "widget_activity.json": _widget("GET", "/widget/activity"),
        "bulk_start.json": _widget(
            "POST",
            "/copies/bulk",
            body={
                "lead_ids": bulk_ids,
                "preset_id": "handover",
                "overrides": {"responsible": {"mode": "source"}},
                "idempotency_key": "bulk-c0ffee00-0000-4000-8000-000000000002",
            },
        ),
        "bulk_start_preflight.json": _preflight("/copies/bulk", "POST"),
        "bulk_progress.json": _widget("GET", f"/copies/bulk/{batch_id}", route="/copies/bulk/{batch_id}"),
    }


def main() -> int:
    for name, event in build().items():
        (ROOT / "events" / name).write_text(json.dumps(event, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"events/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
