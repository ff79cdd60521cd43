"""OAuth redirect URI (install), the uninstall hook and the health route."""

import time

from dealcopy import wiring
from dealcopy.amo.errors import AmoUnavailable
from dealcopy.config import settings
from dealcopy.install import InstallRejected, verify_uninstall
from dealcopy.observability import logger
from dealcopy.web.body import body_text
from dealcopy.web.entry import http_entry
from dealcopy.web.pages import catalog_page, install_failure_page
from dealcopy.web.resolver import api_resolver

app = api_resolver()


def _params() -> dict[str, str]:
    # amoCRM's install webhook may arrive as a POST form (unconfirmed): accept query and form alike.
    params = dict(app.current_event.query_string_parameters or {})
    if app.current_event.http_method == "POST" and app.current_event.body:
        from urllib.parse import parse_qsl

        params.update(parse_qsl(body_text(app.current_event)))
    return params


@app.get("/oauth/callback")
@app.post("/oauth/callback")
def oauth_callback():
    params = _params()
    if params.get("error"):
        return catalog_page(200, "page-install-cancelled")
    try:
        installed = wiring.install_service().complete(params.get("code"), params.get("referer"))
    except (InstallRejected, AmoUnavailable) as err:
        logger.info("install failed", extra={"reason": getattr(err, "code", type(err).__name__)})
        return install_failure_page(err)
    logger.info("installed", extra={"account_id": installed.account_id, "repeated": installed.repeated})
    return catalog_page(200, "page-installed")


@app.get("/oauth/uninstall")
def oauth_uninstall():
    params = app.current_event.query_string_parameters or {}
    # 400 `bad-uninstall-request` / 401 `bad-uninstall-signature` come from web/errors.py.
    # amoCRM signs with the secret it has: the previous one still counts during a rotation's window
    account_id = verify_uninstall(params, settings().client_id, *wiring.client_secrets().accepted(time.time()))
    # Replay-safe: dropped only if amoCRM confirms the stored tokens are revoked (dealcopy.install_guard);
    # otherwise kept and answered 200 with `uninstalled: false` (503 if amoCRM could not tell).
    dropped = wiring.uninstall_guard().uninstall(account_id)
    logger.info("uninstall hook", extra={"account_id": account_id, "dropped": dropped})
    return {"account_id": account_id, "uninstalled": dropped}


@app.get("/health")
def health():
    """For `make widget` and monitors: the deployed API answers, and it is ours. Reads nothing."""
    return {"service": "amo-dealcopy", "status": "ok"}


lambda_handler = http_entry(app)
