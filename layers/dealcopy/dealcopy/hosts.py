"""Following an account's host when amoCRM tells us a new subdomain (the account id is the key).

Three verified sources name the current host: the widget's one-time token (`iss`, signed with
our client secret), a DP hook whose rule signature verifies for that account id (`subdomain`),
and the SDK's lookup on the token's shared `api_domain` host. The first two are followed when
they arrive. The lookup is used like the SDK uses it: when a refresh at the stored host answers
401/404 or the name no longer resolves, we ask, store the host it names and refresh there once.
"""

from __future__ import annotations

from collections.abc import Callable

from dealcopy.accounts import Account, is_shared_api_host, issuer_host, renamed_domain
from dealcopy.amo.oauth import AccountHostGone, OAuthClient, OAuthGrantRejected, TokenPair, unverified_claims
from dealcopy.auth.one_time_token import TokenRejected
from dealcopy.storage.accounts import AccountRepository


def follow_issuer(accounts: AccountRepository, account: Account, issuer: str, subdomain: str = "") -> Account:
    """After a verified one-time token: its `iss` (or, without one, `subdomain`) becomes the stored host.

    A rename keeps the account's base domain, so a token whose `iss` is not a host of that base
    domain, or whose `subdomain` names another host than its `iss`, is refused (`TokenRejected`).
    """
    host = issuer_host(issuer, account.domain) if issuer else renamed_domain(account.domain, subdomain)
    if host is None or (issuer and subdomain and host.split(".", 1)[0] != subdomain.strip().lower()):
        raise TokenRejected("token issued for another account")
    return accounts.follow_host(account, host)


def follow_hook(accounts: AccountRepository, account: Account, subdomain: str | None) -> Account:
    """After a DP hook whose signature verified for this account: its `subdomain` becomes the stored host."""
    return accounts.follow_host(account, renamed_domain(account.domain, subdomain or ""))


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
    claims = unverified_claims(account.tokens.access_token.get_secret_value()) if account.tokens else {}
    api_domain = str(claims.get("api_domain") or "").lower()
    if not is_shared_api_host(api_domain) or api_domain.split(".", 1)[1] not in api_domains:
        return None  # we send a refresh token there: only to amoCRM's own shared hosts
    moved = oauth.account_domain(api_domain, refresh_token)
    if not moved or moved == account.domain or moved.split(".", 1)[-1] not in api_domains:
        return None
    return moved
