"""Install and uninstall of the integration in an amoCRM account (domain logic, no I/O of its own).

amoCRM calls the OAuth redirect URI twice per widget install (browser redirect
and webhook) with the same single-use code: the first call exchanges it, the
second waits for that result instead of failing on an already-used code.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dealcopy.amo.account import account_timezone
from dealcopy.amo.oauth import OAuthGrantRejected, TokenPair
from dealcopy.errors import DomainError
from dealcopy.ids import amo_id
from dealcopy.storage.accounts import AccountRepository
from dealcopy.storage.claims import ClaimStore

CODE_TTL = 20 * 60  # amoCRM authorization codes live 20 minutes
_CODE_SHAPE = re.compile(r"^[A-Za-z0-9._~+/=-]{8,4096}$")


class InstallRejected(DomainError):
    """The install request cannot succeed: `bad-referer`, `bad-code`, `install-in-progress`, `code-rejected`."""

    code = "install-rejected"


class UninstallRejected(DomainError):
    """The uninstall hook is not from amoCRM (wrong client or signature)."""

    code = "bad-uninstall-signature"


class UninstallIncomplete(DomainError, ValueError):
    """The uninstall hook lacks `account_id`, `client_uuid` or `signature` (or the id is no amoCRM id)."""

    code = "bad-uninstall-request"


@dataclass(frozen=True)
class InstalledAccount:
    account_id: int
    subdomain: str
    repeated: bool = False


def api_host(referer: str | None, api_domains: list[str]) -> str:
    """The account's API host from `referer`, only if it is a subdomain of an amoCRM/Kommo domain.

    We send our client secret to this host, so a foreign host is refused outright.
    """
    host = (referer or "").strip().lower()
    host = re.sub(r"^https?://", "", host).split("/")[0]
    suffixes = "|".join(re.escape(d.strip().lower()) for d in api_domains if d.strip())
    if not suffixes or not re.fullmatch(rf"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.(?:{suffixes})", host):
        raise InstallRejected("bad-referer")
    return host


@dataclass
class InstallService:
    accounts: AccountRepository
    claims: ClaimStore
    exchange_code: Callable[[str, str], TokenPair]  # (base_url, code) -> pair
    read_account: Callable[[str, TokenPair], dict[str, Any]]  # (base_url, pair) -> /api/v4/account
    base_url_for: Callable[[str], str]
    api_domains: list[str]
    trial_days: int
    repeat_wait: float = 10.0
    keep: Callable[[int], Any] | None = None  # a re-install within the retention keeps the account's data

    def complete(self, code: str | None, referer: str | None) -> InstalledAccount:
        if not code or not _CODE_SHAPE.match(code):
            raise InstallRejected("bad-code")
        host = api_host(referer, self.api_domains)
        key = "oauth-code#" + hashlib.sha256(code.encode()).hexdigest()
        give_up = time.monotonic() + self.repeat_wait
        while not self.claims.claim(key, CODE_TTL):
            done = self.claims.read(key)
            if done and done.get("state") == "done":
                return InstalledAccount(**done["result"], repeated=True)
            if time.monotonic() > give_up:
                raise InstallRejected("install-in-progress")
            time.sleep(0.2)
        try:
            installed = self._install(host, code)
        except BaseException:
            self.claims.release(key)
            raise
        self.claims.complete(key, {"account_id": installed.account_id, "subdomain": installed.subdomain})
        return installed

    def _install(self, host: str, code: str) -> InstalledAccount:
        base_url = self.base_url_for(host)
        try:
            pair = self.exchange_code(base_url, code)
        except OAuthGrantRejected as err:
            raise InstallRejected("code-rejected") from err
        info = self.read_account(base_url, pair)
        # The account's host is the referer's `{subdomain}.{base_domain}`; the token's `api_domain`
        # is a shared host (api-b.amocrm.ru) that serves no account and must never be stored.
        account = self.accounts.record_install(
            account_id=int(info["id"]),
            subdomain=host.split(".")[0],
            domain=host,
            tokens=pair,
            trial_days=self.trial_days,
            country=str(info.get("country") or "").upper()[:2] or None,
            timezone=account_timezone(info),  # asked for with the account (`with=datetime_settings`)
        )
        if self.keep is not None:
            self.keep(account.account_id)
        return InstalledAccount(account_id=account.account_id, subdomain=account.subdomain)


def uninstall_signature(secret: str, client_uuid: str, account_id: str) -> str:
    """hex HMAC-SHA256 of "{client_uuid}|{account_id}" keyed by the client secret.

    Format from secondary sources (facts file: unconfirmed); see README troubleshooting.
    """
    message = f"{client_uuid}|{account_id}".encode("utf-8", "surrogatepass")
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify_uninstall(params: dict[str, str], client_id: str, secret: str) -> int:
    """The account id of a genuine uninstall hook; `UninstallIncomplete` or `UninstallRejected` otherwise."""
    client_uuid = params.get("client_uuid", "")
    account_id = params.get("account_id", "")
    signature = params.get("signature", "").lower()
    number = amo_id(account_id)  # ASCII digits within amoCRM's bounds ("١٢٣".isdigit() is True)
    if not (client_uuid and number is not None and signature):
        raise UninstallIncomplete()
    # Compared as bytes: `compare_digest` on a str with non-ASCII characters raises TypeError.
    if not hmac.compare_digest(_raw(client_uuid), _raw(client_id)):
        raise UninstallRejected()  # client_uuid is not this integration
    if not hmac.compare_digest(_raw(signature), uninstall_signature(secret, client_uuid, account_id).encode()):
        raise UninstallRejected()  # the signature does not match
    return number


def _raw(value: str) -> bytes:
    return value.encode("utf-8", "surrogatepass")
