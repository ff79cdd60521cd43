"""The one registry from failures to HTTP answers: status, stable code, words, headers.

Domain and adapter code raise `DomainError` subclasses (code + data, no status); this table
alone decides the status, by class, so the widget sees the same answer for the same failure
whichever route it called. Classes are named by their dotted path and matched along the
exception's MRO: the table imports nothing, so a handler pays only for what it raises.
A `DomainError` missing here is a 400 (and a logged warning; a test keeps the table whole);
any other exception is a 500 `internal` that names the request id and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aws_lambda_powertools.event_handler.api_gateway import Response

from dealcopy.errors import DomainError
from dealcopy.messages import text
from dealcopy.observability import logger
from dealcopy.web.problems import problem_answer

RETRY_AFTER_SECONDS = "30"


@dataclass(frozen=True)
class Rule:
    status: int
    code: str | None = None  # the code of an exception that carries none (not a DomainError)
    retry_after: bool = False


_RETRY_503 = Rule(503, retry_after=True)

RULES: dict[str, Rule] = {
    # the HTTP edge
    "dealcopy.web.failures.BadJson": Rule(400),
    "dealcopy.web.failures.BadEncoding": Rule(400),
    "dealcopy.web.failures.BodyTooLarge": Rule(413),
    "dealcopy.web.failures.RequestInvalid": Rule(400),
    "dealcopy.web.failures.NotInstalled": Rule(401),
    "dealcopy.web.failures.LicenceExpired": Rule(402),
    "dealcopy.web.failures.BadPresetId": Rule(400),
    "dealcopy.web.failures.PresetNotFound": Rule(404),
    "dealcopy.web.failures.AdminOnly": Rule(403),
    "dealcopy.auth.one_time_token.TokenRejected": Rule(401),
    # install (an HTML page after the redirect, `web/pages.py`) and the uninstall hook
    "dealcopy.install.InstallRejected": Rule(400),
    "dealcopy.install.UninstallIncomplete": Rule(400),
    "dealcopy.install.UninstallRejected": Rule(401),
    # the copy engine
    "dealcopy.copying.errors.RuleInvalid": Rule(400),
    "dealcopy.copying.errors.ResponsibleUnavailable": Rule(400),
    "dealcopy.copying.errors.CopyForbidden": Rule(403),
    "dealcopy.copying.errors.SourceNotFound": Rule(404),
    "dealcopy.copying.errors.CopyRejected": Rule(422),
    "dealcopy.copying.errors.CopyError": Rule(400),
    # amoCRM: never a bare 500; a blocked or unpaid account is the account's state, not our fault
    "dealcopy.amo.errors.AmoAmbiguousWrite": _RETRY_503,
    "dealcopy.amo.errors.AmoUnavailable": _RETRY_503,
    "dealcopy.amo.errors.ReinstallRequired": Rule(401),
    "dealcopy.amo.errors.AmoTokenError": _RETRY_503,
    "dealcopy.amo.errors.AmoUnauthorized": Rule(401),
    "dealcopy.amo.errors.AmoPaymentRequired": Rule(402),
    "dealcopy.amo.errors.AmoForbidden": Rule(403),
    "dealcopy.amo.errors.AmoRateLimited": _RETRY_503,
    "dealcopy.amo.errors.AmoServerError": _RETRY_503,
    "dealcopy.amo.errors.AmoError": Rule(502),
    # requests of the use cases, DP hooks, copy jobs and schedules
    "dealcopy.usecases.errors.KeyReused": Rule(409),
    "dealcopy.usecases.errors.AlreadyCopied": Rule(409),
    "dealcopy.usecases.errors.BatchNotFound": Rule(404),
    "dealcopy.usecases.presets.PresetForbidden": Rule(403),
    "dealcopy.usecases.errors.CopyPending": Rule(202, retry_after=True),
    "dealcopy.usecases.errors.CopyUnfinished": _RETRY_503,
    "dealcopy.dp.errors.HookMalformed": Rule(400),
    "dealcopy.dp.errors.HookUnsupported": Rule(422),
    "dealcopy.dp.errors.HookUnknownAccount": Rule(401),  # as a bad signature: installs are not revealed
    "dealcopy.dp.errors.HookStale": Rule(400),
    "dealcopy.dp.errors.HookAccountGone": Rule(410),
    "dealcopy.dp.errors.HookUnauthorized": Rule(401),
    "dealcopy.dp.errors.HookKeyRetired": Rule(401),
    "dealcopy.jobs.queue.QueueError": Rule(503, "queue-unavailable", retry_after=True),
    "dealcopy.records.schedule_errors.ScheduleInvalid": Rule(400),
    "dealcopy.records.schedule_errors.RepeatNotFound": Rule(404),
    "dealcopy.records.schedule_errors.ScheduledCopyNotFound": Rule(404),
    "dealcopy.records.schedule_errors.ScheduledCopyFiring": Rule(409),
    "dealcopy.records.schedule_errors.IdempotencyKeyReused": Rule(409),
    # the framework
    "aws_lambda_powertools.event_handler.exceptions.NotFoundError": Rule(404, "not-found"),
    "aws_lambda_powertools.utilities.idempotency.exceptions.IdempotencyAlreadyInProgressError": Rule(
        409, "in-progress"
    ),
    "aws_lambda_powertools.utilities.idempotency.exceptions.IdempotencyValidationError": Rule(409, "key-reused"),
}


def dotted(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def rule_for(err: BaseException) -> Rule | None:
    """The rule of the nearest class of `err` in the table (None: not an expected failure)."""
    for cls in type(err).__mro__:
        rule = RULES.get(dotted(cls))
        if rule is not None:
            return rule
    if isinstance(err, DomainError):
        logger.warning("domain error without an HTTP rule", extra={"error_class": dotted(type(err))})
        return Rule(400)
    return None


def answer_for(err: BaseException, lang: str, request_id: str = "") -> Response:
    """The problem+json answer for `err` in `lang` ('ru' or 'en')."""
    rule = rule_for(err)
    if rule is None:
        logger.exception("unexpected error", extra={"error_class": dotted(type(err))})
        return internal_answer(lang, request_id)
    headers = {"Retry-After": _retry_after(err)} if rule.retry_after else {}
    if isinstance(err, DomainError):
        code, detail, extra = err.code, err.message(lang), _details(err)
    else:
        code = rule.code or "unknown-error"
        detail, extra = text(code, lang), {}
    logger.info("request refused", extra={"status": rule.status, "code": code})
    return problem_answer(rule.status, code, detail, extra, headers)


def _retry_after(err: BaseException) -> str:
    """The error's own `retry_after` (whole seconds) when it names one, else the default."""
    seconds = err.data.get("retry_after") if isinstance(err, DomainError) else None
    return str(seconds) if isinstance(seconds, int) and seconds > 0 else RETRY_AFTER_SECONDS


def internal_answer(lang: str, request_id: str = "") -> Response:
    """500 `internal`: no class name, stack or message of the cause, only the id to quote to support."""
    ident = request_id or "-"
    return problem_answer(500, "internal", text("internal", lang, error=ident), {"request_id": ident})


def _details(err: DomainError) -> dict[str, Any]:
    try:
        return err.details()
    except Exception:  # details are a courtesy: never turn a 4xx into a 500
        logger.exception("error details failed", extra={"error_class": dotted(type(err))})
        return {}
