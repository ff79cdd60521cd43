"""Who is calling from the widget: a verified one-time token and an installed, licensed account.

The account id comes from the verified token only, never from the request body.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from dealcopy.accounts import Account
from dealcopy.auth.one_time_token import OneTimeTokens, WidgetCaller
from dealcopy.licence import licence_of
from dealcopy.storage.accounts import AccountRepository
from dealcopy.web.problems import Problem

Model = TypeVar("Model", bound=BaseModel)


@dataclass(frozen=True)
class WidgetSession:
    caller: WidgetCaller
    account: Account


def open_session(
    headers: dict[str, str], tokens: OneTimeTokens, accounts: AccountRepository, *, require_licence: bool
) -> WidgetSession:
    caller = tokens.authenticate(headers.get("x-auth-token"))
    account = accounts.get(caller.account_id)
    if account is None or not account.is_active:
        raise Problem(
            401,
            "not-installed",
            "Виджет не установлен в этом аккаунте или был отключён. Установите его заново.",
            "The widget is not installed in this account or was disabled. Install it again.",
        )
    if require_licence and not licence_of(account).active():
        raise Problem(
            402,
            "licence-expired",
            "Срок действия лицензии «Копия сделки» истёк. Продлите подписку, чтобы копировать сделки.",
            "The Deal Copy licence has expired. Renew the subscription to copy deals.",
        )
    return WidgetSession(caller, account)


def parse_body(model: type[Model], raw: str | None) -> Model:
    """The request body as `model`, or a 400 listing every bad field by its path."""
    try:
        data: Any = json.loads(raw or "")
    except ValueError as err:
        raise Problem(400, "bad-json", "Тело запроса — не JSON.", "The request body is not JSON.") from err
    try:
        return model.model_validate(data)
    except ValidationError as err:
        errors = [
            {"path": ".".join(str(p) for p in e["loc"]) or "body", "message_ru": e["msg"], "message_en": e["msg"]}
            for e in err.errors(include_url=False)
        ]
        raise Problem(
            400,
            "bad-request",
            "Запрос заполнен неверно: " + "; ".join(f"{e['path']}: {e['message_en']}" for e in errors),
            "The request is invalid: " + "; ".join(f"{e['path']}: {e['message_en']}" for e in errors),
            errors=errors,
        ) from err
