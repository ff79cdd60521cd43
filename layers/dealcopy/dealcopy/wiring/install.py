"""The OAuth function's collaborators: install (code exchange) and the uninstall guard."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dealcopy.config import settings
from dealcopy.wiring.amo import amo_client, api_base_url, client_for, forget_account, oauth
from dealcopy.wiring.tables import accounts, claims, retention

if TYPE_CHECKING:
    from dealcopy.amo.oauth import TokenPair
    from dealcopy.install import InstallService
    from dealcopy.install_guard import UninstallGuard


def uninstall_guard() -> UninstallGuard:
    """The uninstall hook's use case: drops an account only once amoCRM confirms its tokens are revoked."""
    from dealcopy.amo.account import read_account
    from dealcopy.install_guard import UninstallGuard

    return UninstallGuard(
        accounts(),
        probe=lambda account: read_account(client_for(account)),
        forget=forget_account,
        retain=retention().expire,
        stop=stop_schedules if settings().schedule_group else None,
    )


def stop_schedules(account_id: int) -> dict[str, int]:
    """An uninstall: every repeat of the account stops and every pending delayed copy is cancelled."""
    from dealcopy.wiring.schedules import delayed_copies, repeats

    return {"repeats": repeats().stop_all(account_id), "delayed": delayed_copies().cancel_all(account_id)}


def install_service() -> InstallService:
    from dealcopy.amo.account import install_budget_key
    from dealcopy.amo.account import read_account as account_of_tokens
    from dealcopy.amo.tokens import StaticToken
    from dealcopy.install import InstallService

    cfg = settings()
    client = oauth()

    def read_account(base_url: str, pair: TokenPair) -> dict[str, Any]:
        key = install_budget_key(pair.claims(), base_url)
        return account_of_tokens(amo_client(key, base_url, StaticToken(pair.access_token)), with_zone=True)

    return InstallService(
        accounts=accounts(),
        claims=claims(),
        exchange_code=client.exchange_code,
        read_account=read_account,
        base_url_for=api_base_url,
        api_domains=cfg.api_domains,
        trial_days=cfg.trial_days,
        keep=retention().keep,
    )
