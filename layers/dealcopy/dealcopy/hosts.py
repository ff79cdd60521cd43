"""Following an account's host when amoCRM tells us a new subdomain (the account id is the key).

Three verified sources name the current host: the widget's one-time token (`iss`, signed with
our client secret), a DP hook whose rule signature verifies for that account id (`subdomain`),
and the SDK's lookup on the token's shared `api_domain` host. The first two are claims: their
host is stored only once amoCRM answers there as the same account (`GET /api/v4/account` with
our token names the same id), and a host that does not is ignored, never held against the
account. The lookup is amoCRM's own answer, used like the SDK uses it: when a refresh at the
stored host answers 401/404 or the name no longer resolves, we ask, store the host it names and
refresh there once; and when an API call answers 404 (`host_checker`), the host is confirmed
first, so a renamed account's 404 is followed, never read as "the deal was deleted".
"""

from __future__ import annotations

from collections.abc import Callable

from dealcopy.accounts import Account, is_shared_api_host, issuer_host, renamed_domain
from dealcopy.amo.errors import AmoUnavailable
from dealcopy.amo.oauth import AccountHostGone, OAuthClient, OAuthGrantRejected, TokenPair, unverified_claims
from dealcopy.auth.one_time_token import TokenRejected
from dealcopy.storage.accounts import AccountRepository

Confirm = Callable[[Account, str], bool]  # does amoCRM answer at this host as this account?


def follow_issuer(
    accounts: AccountRepository, account: Account, issuer: str, subdomain: str = "", confirm: Confirm | None = None
) -> Account:
    """After a verified one-time token: its `iss` (or, without one, `subdomain`) becomes the stored host.

    A rename keeps the account's base domain, so a token whose `iss` is not a host of that base
    domain, or whose `subdomain` names another host than its `iss`, is refused (`TokenRejected`).
    """
    host = issuer_host(issuer, account.domain) if issuer else renamed_domain(account.domain, subdomain)
    if host is None or (issuer and subdomain and host.split(".", 1)[0] != subdomain.strip().lower()):
        raise TokenRejected("token issued for another account")
    return _follow_confirmed(accounts, account, host, confirm)


def follow_hook(
    accounts: AccountRepository, account: Account, subdomain: str | None, confirm: Confirm | None = None
) -> Account:
    """After a DP hook whose signature verified for this account: its `subdomain` becomes the stored host
    once `confirm` says amoCRM answers there as this account."""
    return _follow_confirmed(accounts, account, renamed_domain(account.domain, subdomain or ""), confirm)


def _follow_confirmed(
    accounts: AccountRepository, account: Account, host: str | None, confirm: Confirm | None
) -> Account:
    """The claimed host stored once amoCRM confirms it; the account unchanged otherwise."""
    if not host or host == account.domain or (confirm is not None and not confirm(account, host)):
        return account
    return accounts.follow_host(account, host)


def host_checker(
    oauth: Callable[[], OAuthClient],
    accounts: AccountRepository,
    account_id: int,
    base_url_for: Callable[[str], str],
    api_domains: list[str],
) -> Callable[[], str | None]:
    """For `AmoClient.host_check`: after a 404, the base URL of the account's new host, or None when amoCRM
    confirms the stored one (the 404 stands). `AmoUnavailable` when amoCRM cannot say: try again later."""

    def check() -> str | None:
        account = accounts.get(account_id, consistent=True)
        if account is None or account.tokens is None:
            return None
        refresh = account.tokens.refresh_token.get_secret_value()
        host = _lookup(oauth(), account, refresh, api_domains)
        if host is None:
            raise AmoUnavailable("the account's host could not be confirmed after a 404", 1)
        if host == account.domain:
            return None
        accounts.follow_host(account, host)
        return base_url_for(host)

    return check


def relocating_refresher(
    oauth: Callable[[], OAuthClient],
    accounts: AccountRepository,
    account_id: int,
    base_url_for: Callable[[str], str],
    api_domains: list[str],
) -> Callable[[str], TokenPair]:
    """A refresher for `DynamoTokenProvider` that refreshes at the account's current host, following a rename."""

    def refresh(refresh_token: str) -> TokenPair:
        account = accounts.get(account_id, consistent=True)
        if account is None:
            raise OAuthGrantRejected(404, f"account {account_id} is not installed")
        try:
            return oauth().refresh(base_url_for(account.domain), refresh_token)
        except (AccountHostGone, OAuthGrantRejected) as err:
            if isinstance(err, OAuthGrantRejected) and err.status != 401:
                raise
            moved = _looked_up(oauth(), account, refresh_token, api_domains)
            if moved is None:
                raise
            accounts.follow_host(account, moved)
            return oauth().refresh(base_url_for(moved), refresh_token)

    return refresh


def _looked_up(oauth: OAuthClient, account: Account, refresh_token: str, api_domains: list[str]) -> str | None:
    """The host the SDK's lookup names, if it is another amoCRM host than the stored one."""
    moved = _lookup(oauth, account, refresh_token, api_domains)
    return None if moved == account.domain else moved


def _lookup(oauth: OAuthClient, account: Account, refresh_token: str, api_domains: list[str]) -> str | None:
    """The account's host as the SDK's lookup names it (maybe the stored one); None if it cannot say."""
    claims = unverified_claims(account.tokens.access_token.get_secret_value()) if account.tokens else {}
    api_domain = str(claims.get("api_domain") or "").lower()
    if not is_shared_api_host(api_domain) or api_domain.split(".", 1)[1] not in api_domains:
        return None  # we send a refresh token there: only to amoCRM's own shared hosts
    host = oauth.account_domain(api_domain, refresh_token)
    if not host or host.split(".", 1)[-1] not in api_domains:
        return None
    return host
