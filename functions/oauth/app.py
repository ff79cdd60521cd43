"""OAuth redirect URI (install) and the uninstall hook."""

from dealcopy import wiring
from dealcopy.amo.errors import AmoUnavailable
from dealcopy.config import settings
from dealcopy.install import InstallRejected, UninstallRejected, verify_uninstall
from dealcopy.observability import logger
from dealcopy.web.entry import http_entry
from dealcopy.web.pages import html_page
from dealcopy.web.problems import Problem
from dealcopy.web.resolver import api_resolver

app = api_resolver()


def _params() -> dict[str, str]:
    # amoCRM's install webhook may arrive as a POST form (unconfirmed): accept query and form alike.
    params = dict(app.current_event.query_string_parameters or {})
    if app.current_event.http_method == "POST" and app.current_event.decoded_body:
        from urllib.parse import parse_qsl

        params.update(parse_qsl(app.current_event.decoded_body))
    return params


@app.get("/oauth/callback")
@app.post("/oauth/callback")
def oauth_callback():
    params = _params()
    if params.get("error"):
        return html_page(
            200,
            "Установка отменена",
            "Доступ не предоставлен, виджет не установлен. Его можно установить снова в amoMarket.",
            "Installation cancelled",
            "Access was not granted, so the widget is not installed. You can install it again from amoMarket.",
        )
    try:
        installed = wiring.install_service().complete(params.get("code"), params.get("referer"))
    except InstallRejected as err:
        logger.info("install rejected", extra={"reason": err.code})
        return html_page(400, "Установка не удалась", err.detail_ru, "Installation failed", err.detail_en)
    except AmoUnavailable:
        logger.exception("amoCRM unavailable during install")
        return html_page(
            503,
            "amoCRM недоступен",
            "Не удалось связаться с amoCRM. Повторите установку через несколько минут.",
            "amoCRM unavailable",
            "Could not reach amoCRM. Please retry the installation in a few minutes.",
        )
    logger.info("installed", extra={"account_id": installed.account_id, "repeated": installed.repeated})
    return html_page(
        200,
        "Виджет «Копия сделки» установлен",
        "Можно закрыть эту вкладку и вернуться в amoCRM.",
        "Deal Copy widget installed",
        "You can close this tab and return to amoCRM.",
    )


@app.get("/oauth/uninstall")
def oauth_uninstall():
    params = app.current_event.query_string_parameters or {}
    try:
        account_id = verify_uninstall(params, settings().client_id, wiring.client_secret())
    except ValueError as err:
        raise Problem(400, "bad-request", "Не хватает параметров запроса.", str(err)) from err
    except UninstallRejected as err:
        raise Problem(401, "bad-signature", "Подпись запроса неверна.", str(err)) from err
    known = wiring.accounts().mark_uninstalled(account_id)
    wiring.forget_account(account_id)
    logger.info("uninstalled", extra={"account_id": account_id, "known": known})
    return {"account_id": account_id, "uninstalled": True}


lambda_handler = http_entry(app)
