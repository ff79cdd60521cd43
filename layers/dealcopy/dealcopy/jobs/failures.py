"""Why a job failed, stopped or waits: a `JobError` (code plus both languages, from the catalog).

The words are stored with the job (record, activity, DLQ message, the note on the source),
so they are resolved once, when the error happens.
"""

from __future__ import annotations

from typing import Any

from dealcopy.accounts import Account
from dealcopy.amo.errors import (
    AmoAmbiguousWrite,
    AmoError,
    AmoPaymentRequired,
    AmoTokenError,
    AmoUnavailable,
    ReinstallRequired,
)
from dealcopy.copying.errors import CopyError
from dealcopy.messages import text
from dealcopy.records.job import JobError

TRANSIENT = (AmoUnavailable, AmoError, AmoTokenError)  # amoCRM trouble the queue retries
PERMANENT_ACCOUNT = (ReinstallRequired, AmoPaymentRequired)  # ends every job of the account
# nothing to write on, or no way to; or a refused (possibly replayed) hook that must not spam the lead
NO_NOTE = ("source_not_found", "reinstall_required", "account_unpaid", "stage_not_reached")


def job_error(code: str, *, key: str | None = None, **data: Any) -> JobError:
    """A `JobError` with `code`, its words from the catalog entry `key` (default: the code)."""
    return JobError(
        code=code,
        message_ru=text(key or code, "ru", **data).strip(),
        message_en=text(key or code, "en", **data).strip(),
    )


def error_of(err: BaseException) -> JobError:
    if isinstance(err, CopyError):
        return JobError(code=err.code, message_ru=err.message_ru, message_en=err.message_en)
    if isinstance(err, ReinstallRequired):
        return job_error("reinstall_required")
    if isinstance(err, AmoPaymentRequired):
        return job_error("account_unpaid")
    if isinstance(err, AmoAmbiguousWrite):
        return job_error("amocrm_uncertain", reason=err.reason)
    if isinstance(err, AmoUnavailable):
        return job_error("amocrm_unavailable", reason=err.reason)
    if isinstance(err, AmoError):
        return job_error(f"amocrm_{err.status}", key="amocrm_error", status=err.status, title=err.title)
    return job_error("internal", error=err)


def inactive_error(account: Account | None) -> JobError:
    return job_error("account_inactive", state=account.status.value if account else "not installed")


def unfinished() -> JobError:
    return job_error("unfinished")
