"""Accounts table: one item per amoCRM account, holding install facts and the token pair.

Token refresh is serialised with a lease (`refresh_lock_until`/`refresh_lock_owner`)
taken by a conditional update, so one refresh per account reaches amoCRM at a time.
"""

from __future__ import annotations

import time
from decimal import Decimal
from typing import Any

from dealcopy.accounts import Account, AccountStatus, Secret, StoredTokens, repaired_domain
from dealcopy.amo.oauth import TokenPair
from dealcopy.storage.account_upkeep import AccountUpkeep
from dealcopy.storage.dynamo import applied, plain

DAY = 86400


class AccountRepository(AccountUpkeep):
    def __init__(self, table: Any) -> None:
        self._table = table

    # -- reads ----------------------------------------------------------------
    def get(self, account_id: int, *, consistent: bool = False) -> Account | None:
        item = self._table.get_item(Key={"account_id": account_id}, ConsistentRead=consistent).get("Item")
        return _account(plain(item)) if item else None

    # -- install / uninstall ----------------------------------------------------
    def record_install(
        self,
        *,
        account_id: int,
        subdomain: str,
        domain: str,
        tokens: TokenPair,
        trial_days: int,
        now: int | None = None,
        country: str | None = None,
        timezone: str | None = None,
    ) -> Account:
        """Upsert on install; the first-install date and the trial end survive re-installs.

        `country` is amoCRM's for the account (`GET /api/v4/account`): the region of phone numbers
        typed without a country code, for anonymised copies.
        """
        now = int(now or time.time())
        country_set, country_value = (", country = :country", {":country": country}) if country else ("", {})
        zone = {":tz": timezone} if timezone else {}
        result = self._table.update_item(
            Key={"account_id": account_id},
            UpdateExpression=(
                "SET subdomain = :sub, #domain = :domain, #status = :active, installed_at = :now, "
                "first_installed_at = if_not_exists(first_installed_at, :now), "
                "trial_until = if_not_exists(trial_until, :trial), "
                "access_token = :at, refresh_token = :rt, expires_at = :exp, "
                "token_version = if_not_exists(token_version, :zero) + :one, "
                f"updated_at = :now, tokens_at = :now{country_set}"
                + (", #tz = :tz " if timezone else " ")
                + "REMOVE uninstalled_at, refresh_lock_until, refresh_lock_owner, disconnected_at, disconnect_reason"
            ),
            ExpressionAttributeNames={
                "#domain": "domain",
                "#status": "status",
                **({"#tz": "timezone"} if zone else {}),
            },
            ExpressionAttributeValues={
                **zone,
                ":sub": subdomain,
                ":domain": domain,
                ":active": AccountStatus.ACTIVE.value,
                ":now": now,
                ":trial": now + trial_days * DAY,
                ":at": tokens.access_token,
                ":rt": tokens.refresh_token,
                ":exp": tokens.expires_at,
                ":zero": 0,
                ":one": 1,
                **country_value,
            },
            ReturnValues="ALL_NEW",
        )
        return _account(plain(result["Attributes"]))

    # -- host (the account's subdomain can be renamed; the id is the key) -------------------------
    def follow_host(self, account: Account, domain: str | None) -> Account:
        """Store the account's new host when amoCRM told us one; the account as it is now.

        Callers pass a host they verified (signed one-time token, signed DP hook, the SDK's lookup).
        """
        if not domain or domain == account.domain:
            return account
        subdomain = domain.split(".", 1)[0]
        result = self._table.update_item(
            Key={"account_id": account.account_id},
            UpdateExpression="SET subdomain = :sub, #domain = :domain, updated_at = :now",
            ConditionExpression="attribute_exists(account_id)",
            ExpressionAttributeNames={"#domain": "domain"},
            ExpressionAttributeValues={":sub": subdomain, ":domain": domain, ":now": int(time.time())},
            ReturnValues="ALL_NEW",
        )
        return _account(plain(result["Attributes"]))

    def mark_uninstalled(self, account_id: int, now: int | None = None, *, version: int | None = None) -> bool:
        """Drop the tokens and flag the account; False if we never knew it.

        With `version`, only if the stored pair is still that generation: a re-install
        that landed after the caller looked (it bumps `token_version`) is kept.
        """
        condition, values = "attribute_exists(account_id)", {}
        if version is not None:
            condition, values = condition + " AND token_version = :version", {":version": version}
        return applied(
            self._table.update_item,
            Key={"account_id": account_id},
            UpdateExpression=(
                "SET #status = :gone, uninstalled_at = :now, updated_at = :now "
                "REMOVE access_token, refresh_token, expires_at, refresh_lock_until, refresh_lock_owner"
            ),
            ConditionExpression=condition,
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={
                ":gone": AccountStatus.UNINSTALLED.value,
                ":now": int(now or time.time()),
                **values,
            },
        )

    def extend_paid(self, account_id: int, days: int, now: int | None = None) -> Account:
        """Operator action: paid-until moves `days` past the later of now and the current end."""
        account = self.get(account_id, consistent=True)
        if account is None:
            raise KeyError(account_id)
        start = max(int(now or time.time()), account.paid_until or 0, account.trial_until or 0)
        result = self._table.update_item(
            Key={"account_id": account_id},
            UpdateExpression="SET paid_until = :until, updated_at = :now",
            ExpressionAttributeValues={":until": start + days * DAY, ":now": int(now or time.time())},
            ReturnValues="ALL_NEW",
        )
        return _account(plain(result["Attributes"]))

    def scan(self, **kwargs: Any) -> list[Account]:
        """Every account (operator listing; small table), or those a `FilterExpression` in `kwargs` keeps."""
        items = []
        while True:
            page = self._table.scan(**kwargs)
            items.extend(page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                return [_account(plain(item)) for item in items]
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def mark_reinstall_required(
        self, account_id: int, owner: str, refused: str, version: int, reason: str = "", at: float | None = None
    ) -> bool:
        """Flag the account iff the refused refresh token is still the stored one and the lease is ours.

        False when a refresh or re-install (new `token_version`) or an uninstall landed meanwhile:
        the caller re-reads and uses the stored pair instead of locking out a healthy account.
        """
        return applied(
            self._table.update_item,
            Key={"account_id": account_id},
            UpdateExpression=(
                "SET #status = :s, updated_at = :now, disconnected_at = :at, disconnect_reason = :reason "
                "REMOVE refresh_lock_until, refresh_lock_owner"
            ),
            ConditionExpression=(
                "#status = :active AND refresh_lock_owner = :owner AND refresh_token = :refused "
                "AND token_version = :version"
            ),
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={
                ":s": AccountStatus.REINSTALL_REQUIRED.value,
                ":active": AccountStatus.ACTIVE.value,
                ":owner": owner,
                ":refused": refused,
                ":version": version,
                ":now": int(time.time()),
                ":at": int(at or time.time()),
                ":reason": (reason or "refused")[:200],
            },
        )

    # -- refresh lease ----------------------------------------------------------
    # Every install and uninstall REMOVEs the lease and bumps or drops `token_version`, so a
    # refresh that overlaps one of them loses its conditions and never overwrites the newer state.
    def acquire_refresh_lock(self, account_id: int, owner: str, rejected_token: str, lease: float) -> bool:
        """Take the refresh lease iff the stored token is still the rejected one and nobody holds it."""
        now = time.time()
        return applied(
            self._table.update_item,
            Key={"account_id": account_id},
            UpdateExpression="SET refresh_lock_until = :until, refresh_lock_owner = :owner",
            ConditionExpression=(
                "#status = :active AND access_token = :rejected AND "
                "(attribute_not_exists(refresh_lock_until) OR refresh_lock_until < :now)"
            ),
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={
                ":active": AccountStatus.ACTIVE.value,
                ":rejected": rejected_token,
                ":now": _num(now),
                ":until": _num(now + lease),
                ":owner": owner,
            },
        )

    def renew_refresh_lock(self, account_id: int, owner: str, lease: float) -> bool:
        """Push our lease `lease` seconds past now while our refresh runs; False if it is no longer ours."""
        return applied(
            self._table.update_item,
            Key={"account_id": account_id},
            UpdateExpression="SET refresh_lock_until = :until",
            ConditionExpression="refresh_lock_owner = :owner",
            ExpressionAttributeValues={":until": _num(time.time() + lease), ":owner": owner},
        )

    def store_refreshed(
        self, account_id: int, owner: str, tokens: TokenPair, version: int | None = None, *, at: float | None = None
    ) -> bool:
        """Write the new pair and release the lease; False if our lease (or the pair's generation) was lost.

        `at` is when the pair was issued as the caller's clock says (the keep-alive's scheduled time).
        """
        condition, values = "refresh_lock_owner = :owner", {}
        if version is not None:
            condition, values = condition + " AND token_version = :version", {":version": version}
        return applied(
            self._table.update_item,
            Key={"account_id": account_id},
            UpdateExpression=(
                "SET access_token = :at, refresh_token = :rt, expires_at = :exp, "
                "token_version = token_version + :one, updated_at = :now, tokens_at = :issued "
                "REMOVE refresh_lock_until, refresh_lock_owner"
            ),
            ConditionExpression=condition,
            ExpressionAttributeValues={
                ":at": tokens.access_token,
                ":rt": tokens.refresh_token,
                ":exp": tokens.expires_at,
                ":one": 1,
                ":now": int(time.time()),
                ":issued": int(at or time.time()),
                ":owner": owner,
                **values,
            },
        )

    def release_refresh_lock(self, account_id: int, owner: str) -> None:
        """Give the lease back (a no-op if it already expired and passed to someone else)."""
        applied(
            self._table.update_item,
            Key={"account_id": account_id},
            UpdateExpression="REMOVE refresh_lock_until, refresh_lock_owner",
            ConditionExpression="refresh_lock_owner = :owner",
            ExpressionAttributeValues={":owner": owner},
        )


def _num(value: float) -> Decimal:
    return Decimal(str(round(value, 3)))


def _account(item: dict[str, Any]) -> Account:
    tokens = None
    if item.get("access_token"):
        tokens = StoredTokens(
            access_token=Secret(item["access_token"]),
            refresh_token=Secret(item["refresh_token"]),
            expires_at=int(item["expires_at"]),
            version=int(item.get("token_version", 0)),
        )
    return Account(
        account_id=int(item["account_id"]),
        subdomain=item["subdomain"],
        domain=repaired_domain(item["subdomain"], item["domain"]),  # older installs stored the shared api_domain
        status=AccountStatus(item["status"]),
        installed_at=int(item["installed_at"]),
        first_installed_at=int(item.get("first_installed_at", item["installed_at"])),
        uninstalled_at=_int_or_none(item.get("uninstalled_at")),
        trial_until=_int_or_none(item.get("trial_until")),
        paid_until=_int_or_none(item.get("paid_until")),
        tokens=tokens,
        country=item.get("country") or None,
        tokens_at=_int_or_none(item.get("tokens_at", item.get("installed_at"))),
        timezone=item.get("timezone") or None,
        disconnected_at=_int_or_none(item.get("disconnected_at")),
        disconnect_reason=item.get("disconnect_reason") or None,
    )


def _int_or_none(value: Any) -> int | None:
    return None if value is None else int(value)
