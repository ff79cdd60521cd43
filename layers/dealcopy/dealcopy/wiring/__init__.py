"""Composition roots: the objects each function's handlers use, built once per process.

One module per group of functions, each only plugging things together (the decisions live in
the packages they build from): `tables` (DynamoDB, SQS, the secret), `amo` (amoCRM clients),
`install` (the OAuth function), `keepalive` (the scheduled token refresh), `widget` (the widget
routes), `worker` (the worker and the catch-up), `schedules` (EventBridge Scheduler). Handlers
write `wiring.x()`: the module of `x` is imported on first use, so a function's cold start pays
only for what its routes build (the DP hook's must stay <= 1.5x `import boto3`); keep imports
inside those modules lazy too. Domain code receives these objects as arguments and never imports boto3 or httpx itself.
"""

from __future__ import annotations

import importlib
from typing import Any

# What every function builds from, imported with the handler as before (boto3 among it): Lambda
# runs a handler's import with its init CPU boost, so moving it into the first request would only
# look cheaper in the import benchmark.
from dealcopy.wiring import amo as _amo  # noqa: F401
from dealcopy.wiring import tables as _tables  # noqa: F401

_WHERE = {
    "amo_client": "amo",
    "api_base_url": "amo",
    "client_for": "amo",
    "confirms_host": "amo",
    "copy_engine": "amo",
    "forget_account": "amo",
    "http": "amo",
    "limiters": "amo",
    "oauth": "amo",
    "retry_policy": "amo",
    "token_provider": "amo",
    "install_service": "install",
    "uninstall_guard": "install",
    "stop_schedules": "install",
    "keep_alive": "keepalive",
    "delayed_copies": "schedules",
    "repeats": "schedules",
    "schedule_fires": "schedules",
    "scheduler": "schedules",
    "account_of": "tables",
    "accounts": "tables",
    "activity_log": "tables",
    "batches": "tables",
    "claims": "tables",
    "client_secret": "tables",
    "client_secrets": "tables",
    "redirect_uri": "tables",
    "dp_rules": "tables",
    "dynamodb": "tables",
    "job_backlog": "tables",
    "job_queue": "tables",
    "job_records": "tables",
    "jobs_table": "tables",
    "lineage": "tables",
    "presets": "tables",
    "retention": "tables",
    "run_store": "tables",
    "schedule_store": "tables",
    "seams": "tables",
    "signatures": "tables",
    "sqs": "tables",
    "table": "tables",
    "follow_hook": "widget",
    "keep_zone": "widget",
    "manual_copier": "widget",
    "one_time_tokens": "widget",
    "rule_book": "widget",
    "widget_session": "widget",
    "catch_up": "worker",
    "copy_worker": "worker",
    "job_policy": "worker",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'dealcopy.wiring' has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


def __dir__() -> list[str]:
    return sorted(_WHERE)
