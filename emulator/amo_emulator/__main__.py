"""``python -m amo_emulator --port 8900 --demo [--client-id X --client-secret Y --redirect-uri Z]``."""

from __future__ import annotations

import argparse
import logging

import uvicorn

from .app import create_app
from .oauth import install
from .seed_demo import create_demo_account
from .state import EmulatorState, Integration


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="amo_emulator", description="amoCRM API v4 emulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8900)
    parser.add_argument("--demo", action="store_true", help="create the demo account (subdomain 'demo')")
    parser.add_argument("--client-id")
    parser.add_argument("--client-secret")
    parser.add_argument("--redirect-uri")
    parser.add_argument("--log-level", default="info")
    args = parser.parse_args(argv)

    state = EmulatorState()
    integration = None
    if args.client_id:
        if not (args.client_secret and args.redirect_uri):
            parser.error("--client-id needs --client-secret and --redirect-uri")
        integration = Integration(args.client_id, args.client_secret, args.redirect_uri)
        state.integrations[integration.client_id] = integration
    log = logging.getLogger("amo_emulator")
    logging.basicConfig(level=args.log_level.upper(), format="%(levelname)s %(name)s: %(message)s")
    if args.demo:
        account = create_demo_account(state)
        log.info("demo account %s (%s) ready", account.id, account.domain)
        if integration:
            code = install(state, account, integration.client_id)
            log.info(
                "install redirect: %s?code=%s&referer=%s&client_id=%s&from_widget=1",
                integration.redirect_uri,
                code.code,
                account.domain,
                integration.client_id,
            )
    uvicorn.run(create_app(state), host=args.host, port=args.port, log_level=args.log_level)


if __name__ == "__main__":
    main()
