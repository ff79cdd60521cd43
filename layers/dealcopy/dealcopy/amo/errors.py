"""Typed amoCRM errors built from `application/problem+json` answers.

Each is a `DomainError` with a stable `code` (worded in `messages/amo.py`); its `data` holds
only the status, never amoCRM's own text or a URL, so it is safe to show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dealcopy.errors import DomainError


@dataclass(frozen=True)
class ValidationIssue:
    """One entry of amoCRM's `validation-errors[].errors[]`."""

    request_id: str
    path: str
    code: str
    detail: str


@dataclass(eq=False)
class AmoError(DomainError):
    """Any answer of amoCRM that is not a success."""

    code = "amocrm-error"

    status: int
    title: str = ""
    detail: str = ""
    type: str = ""
    body: dict[str, Any] = field(default_factory=dict)

    @property
    def data(self) -> dict[str, Any]:  # type: ignore[override]
        return {"status": self.status}

    def details(self) -> dict[str, Any]:
        return {}

    def __str__(self) -> str:
        return f"amoCRM {self.status} {self.title}: {self.detail}".strip(": ")


@dataclass(eq=False)
class AmoValidationError(AmoError):
    """400 with `validation-errors`: keeps request_id/path/code/detail of every issue."""

    code = "amocrm-error"

    issues: list[ValidationIssue] = field(default_factory=list)

    def __str__(self) -> str:
        paths = ", ".join(f"{i.request_id}:{i.path} {i.code}" for i in self.issues)
        return f"{super().__str__()} [{paths}]"


class AmoUnauthorized(AmoError):
    """401: the access token is invalid, expired or revoked (uninstall)."""

    code = "reinstall-required"


class AmoPaymentRequired(AmoError):
    """402: the amoCRM account itself is unpaid."""

    code = "amocrm-unpaid"


class AmoForbidden(AmoError):
    """403: no rights, or the integration is blocked for exceeding limits. Never retried."""

    code = "amocrm-blocked"


class AmoNotFound(AmoError):
    """404: the entity or route does not exist."""

    code = "amocrm-not-found"


@dataclass(eq=False)
class AmoRateLimited(AmoError):
    """429: too many requests; `retry_after` seconds if amoCRM said so."""

    code = "amocrm-unavailable"

    retry_after: float | None = None


class AmoServerError(AmoError):
    """5xx: a transient failure on amoCRM's side."""

    code = "amocrm-unavailable"


@dataclass(eq=False)
class AmoUnavailable(DomainError):
    """Retries or the deadline ran out; `last` is the final cause."""

    code = "amocrm-unavailable"

    reason: str
    attempts: int = 0
    last: BaseException | None = None

    @property
    def data(self) -> dict[str, Any]:  # type: ignore[override]
        return {}

    def __str__(self) -> str:
        return f"amoCRM unavailable after {self.attempts} attempt(s): {self.reason}"


class AmoAmbiguousWrite(AmoUnavailable):
    """A non-idempotent write timed out or got 502/504: it may or may not have happened.

    Retrying blindly could create a second lead, so the caller must reconcile.
    """

    code = "amocrm-uncertain"


class AmoTokenError(DomainError):
    """No usable token for an account (for now: a refresh by another process did not finish)."""

    code = "token-temporary"

    def __init__(self, reason: str = "") -> None:
        super().__init__()
        self.reason = reason  # for logs only: may name the account

    def details(self) -> dict[str, Any]:
        return {}

    def __str__(self) -> str:
        return self.reason or self.code


class ReinstallRequired(AmoTokenError):
    """amoCRM rejected the refresh token (or the account is uninstalled): an admin must reinstall."""

    code = "reinstall-required"


_BY_STATUS: dict[int, type[AmoError]] = {
    401: AmoUnauthorized,
    402: AmoPaymentRequired,
    403: AmoForbidden,
    404: AmoNotFound,
}


def _issues(body: dict[str, Any]) -> list[ValidationIssue]:
    issues = []
    for group in body.get("validation-errors") or []:
        request_id = str(group.get("request_id", ""))
        for err in group.get("errors") or []:
            issues.append(
                ValidationIssue(
                    request_id=request_id,
                    path=str(err.get("path", "")),
                    code=str(err.get("code", "")),
                    detail=str(err.get("detail", "")),
                )
            )
    return issues


def _retry_after(body: dict[str, Any], headers: dict[str, str]) -> float | None:
    # amoCRM documents `retry_after` in the body; a Retry-After header is unconfirmed, so accept both.
    for raw in (body.get("retry_after"), headers.get("retry-after")):
        try:
            if raw is not None:
                return max(0.0, float(raw))
        except (TypeError, ValueError):
            continue
    return None


def error_from_answer(status: int, body: Any, headers: dict[str, str] | None = None) -> AmoError:
    """Build the typed error for a non-2xx answer (body already parsed, or {} if none)."""
    body = body if isinstance(body, dict) else {}
    headers = {k.lower(): v for k, v in (headers or {}).items()}
    common = {
        "status": status,
        "title": str(body.get("title", "")),
        "detail": str(body.get("detail", body.get("hint", ""))),
        "type": str(body.get("type", "")),
        "body": body,
    }
    if status == 400 and body.get("validation-errors"):
        return AmoValidationError(**common, issues=_issues(body))
    if status == 429:
        return AmoRateLimited(**common, retry_after=_retry_after(body, headers))
    if status >= 500:
        return AmoServerError(**common)
    return _BY_STATUS.get(status, AmoError)(**common)
