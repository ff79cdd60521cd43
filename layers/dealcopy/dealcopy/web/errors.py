"""Maps every expected failure of the domain and adapters to one problem+json answer.

Handlers raise; this table decides the status. One place, so the widget sees the
same answer for the same failure whichever route it called.
"""

from __future__ import annotations

from dealcopy.amo.errors import AmoAmbiguousWrite, AmoUnavailable, ReinstallRequired
from dealcopy.auth.one_time_token import TokenRejected
from dealcopy.copying.errors import (
    CopyError,
    CopyForbidden,
    CopyIncomplete,
    CopyRejected,
    ResponsibleUnavailable,
    RuleInvalid,
    SourceNotFound,
)
from dealcopy.web.problems import Problem

RETRY_AFTER_SECONDS = "30"

_COPY_STATUS: dict[type[CopyError], int] = {
    RuleInvalid: 400,
    ResponsibleUnavailable: 400,
    CopyForbidden: 403,
    SourceNotFound: 404,
    CopyRejected: 422,
    CopyIncomplete: 502,
}


def from_copy_error(err: CopyError) -> Problem:
    status = next((code for cls, code in _COPY_STATUS.items() if isinstance(err, cls)), 400)
    extra = {k: v for k, v in err.as_dict().items() if k not in ("code", "message_ru", "message_en")}
    if isinstance(err, RuleInvalid):
        extra["errors"] = [
            {"path": p.path, "message_ru": p.message_ru, "message_en": p.message_en} for p in err.problems
        ]
        extra.pop("problems", None)
    if isinstance(err, CopyIncomplete):
        extra["lead_id"] = err.lead_id
    return Problem(status, err.code, err.message_ru, err.message_en, **extra)


def from_token_rejected(err: TokenRejected) -> Problem:
    return Problem(
        401,
        "unauthenticated",
        f"Запрос не подтверждён amoCRM ({err.reason}). Обновите страницу.",
        f"The request is not authenticated by amoCRM ({err.reason}). Reload the page.",
    )


def from_reinstall(_: ReinstallRequired) -> Problem:
    return Problem(
        401,
        "reinstall-required",
        "Доступ виджета к amoCRM отозван. Администратору нужно переустановить виджет.",
        "The widget's access to amoCRM was revoked. An administrator must reinstall the widget.",
    )


def from_unavailable(err: AmoUnavailable) -> Problem:
    if isinstance(err, AmoAmbiguousWrite):
        return Problem(
            503,
            "amocrm-uncertain",
            "amoCRM не ответил вовремя; копия могла быть создана. Проверьте сделки, прежде чем повторять.",
            "amoCRM did not answer in time; the copy may have been created. Check the deals before retrying.",
            headers={"Retry-After": RETRY_AFTER_SECONDS},
        )
    return Problem(
        503,
        "amocrm-unavailable",
        "amoCRM сейчас недоступен. Повторите через минуту.",
        "amoCRM is unavailable right now. Please retry in a minute.",
        headers={"Retry-After": RETRY_AFTER_SECONDS},
    )


MAPPERS = (
    (CopyError, from_copy_error),
    (TokenRejected, from_token_rejected),
    (ReinstallRequired, from_reinstall),
    (AmoUnavailable, from_unavailable),
)
