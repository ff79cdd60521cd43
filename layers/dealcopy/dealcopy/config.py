"""Runtime settings, read from the environment once per process.

Every function gets the same variables from template.yaml's Globals; the local
stack sets them from the same template, so names cannot drift.

A frozen stdlib dataclass, not a pydantic model: every function reads it on its first
request, and importing pydantic costs about a fifth of `import boto3` (a cold start amoCRM waits on).
The variables are flat scalars and comma lists, so the coercion below is all it needs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import Any, get_type_hints

DEFAULT_ORIGIN_PATTERNS = "https://*.amocrm.ru,https://*.amocrm.com,https://*.kommo.com"
DEFAULT_API_DOMAINS = "amocrm.ru,amocrm.com,kommo.com"


@dataclass(frozen=True, repr=False, eq=False)
class Settings:
    """Process-wide configuration; see README's configuration table."""

    accounts_table: str = "dealcopy-accounts"
    presets_table: str = "dealcopy-presets"
    jobs_table: str = "dealcopy-jobs"
    idempotency_table: str = "dealcopy-idempotency"
    budget_table: str = ""  # the shared amoCRM request budget (docs/limits.md); empty: in-process limit only
    copy_queue_url: str = ""
    copy_dlq_url: str = ""
    # Delayed and recurring copies on EventBridge Scheduler (template: ScheduleGroup, SchedulerRole).
    schedule_group: str = ""
    scheduler_role_arn: str = ""
    scheduler_dlq_arn: str = ""
    copy_queue_arn: str = ""

    client_id: str = ""
    redirect_uri: str = ""
    redirect_uri_parameter: str = ""  # SSM parameter holding the redirect URI, read when redirect_uri is empty
    client_secret_id: str = ""  # Secrets Manager name/ARN of the client secret
    client_secret_cache_seconds: int = 300  # how long a process keeps the secret it read
    secret_rotation_window_days: int = 30  # the previous client secret is accepted this long after a rotation

    allowed_origins: list[str] = field(default_factory=lambda: _csv(DEFAULT_ORIGIN_PATTERNS))
    api_domains: list[str] = field(default_factory=lambda: _csv(DEFAULT_API_DOMAINS))
    amo_base_url_override: str = ""

    amo_rate_limit: int = 7
    amo_rate_window: float = 1.0
    amo_timeout: float = 15.0
    amo_deadline: float = 25.0
    amo_max_attempts: int = 6
    # Shared amoCRM budget (docs/limits.md): slots (window + margin) / rate apart, booked up to `batch` at a time.
    amo_budget_margin: float = 0.1
    amo_budget_batch: int = 4
    amo_budget_wait: float = 10.0  # longest wait for a send slot before a temporary error
    # Token refresh: the lease is renewed while a refresh runs; the refresh gives up after its deadline.
    refresh_lock_seconds: float = 30.0
    refresh_deadline_seconds: float = 20.0

    trial_days: int = 14
    manual_settle_seconds: float = 3.0  # a manual copy's uncertain create: wait this long, then search for it
    # A manual copy answers before API Gateway's limit: no amoCRM step starts with less than the margin left.
    manual_answer_limit_seconds: float = 29.0
    manual_answer_margin_seconds: float = 5.0

    # Copy jobs (worker, DP hook, catch-up); see README "Digital Pipeline".
    job_max_attempts: int = 5  # must equal the copy queue's maxReceiveCount (a unit test checks it)
    job_retry_base_seconds: int = 30  # SQS-level backoff: base * 2^(attempt-1), capped at the visibility timeout
    # Jobs of one account run together, up to this many (the account's backlog, not only the queue's 10 a
    # batch); 0 runs only what the queue delivers (docs/scaling.md, "Batching per account").
    job_batch_size: int = 200
    job_gather_seconds: float = 5.0  # a worker waits up to this long while the account's backlog still grows
    job_settle_seconds: float = 30.0  # wait this long after an uncertain create before trusting a search
    dp_max_depth: int = 3  # how deep automatic copies of copies may chain
    dp_dedup_window: int = 60  # seconds: the same lead, stage and rule within this window is one event
    catchup_grace_seconds: int = 60  # the catch-up leaves events this fresh to their hooks
    catchup_overlap_seconds: int = 300  # and re-reads this much before its checkpoint
    test_seams: bool = False  # local stack only: lets tests inject worker crashes (never set in template.yaml)

    @classmethod
    def names(cls) -> list[str]:
        """Field names; each is read from the environment variable of the same name in upper case."""
        return [f.name for f in fields(cls)]

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Settings from `environ` (default: the process environment); a bad value names its variable."""
        env = os.environ if environ is None else environ
        hints = get_type_hints(cls)
        values: dict[str, Any] = {}
        for name in cls.names():
            raw = env.get(name.upper())
            if raw is not None:
                try:
                    values[name] = _coerce(hints[name], raw)
                except ValueError:
                    raise ValueError(f"{name.upper()}: not a valid {hints[name]}") from None
        return cls(**values)


def _csv(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


_TRUE, _FALSE = frozenset({"1", "true", "yes", "on"}), frozenset({"0", "false", "no", "off", ""})


def _coerce(kind: Any, raw: str) -> Any:
    """One environment string as the field's type: str, int, float, bool or a comma list."""
    if kind is bool:
        word = raw.strip().lower()
        if word not in _TRUE | _FALSE:
            raise ValueError(raw)
        return word in _TRUE
    if kind in (int, float):
        return kind(raw.strip())
    if kind == list[str]:
        return _csv(raw)
    return raw


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The settings of this process (cached: Lambda environments never change)."""
    return Settings.from_env()
