"""What the keep-alive reads from and keeps current on the accounts table (mixed into `AccountRepository`).

The keep-alive scans for installed accounts (hourly; one item per account, so a scan of 10,000
accounts is a few MB) and stores the time zone amoCRM reports for each.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from dealcopy.accounts import Account, AccountStatus


class AccountUpkeep:
    _table: Any

    def scan(self, **kwargs: Any) -> list[Account]:  # implemented by `AccountRepository`
        raise NotImplementedError

    def installed(self) -> list[Account]:
        """Every account with tokens (status active): the keep-alive's worklist."""
        return self.scan(
            FilterExpression="#status = :active",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":active": AccountStatus.ACTIVE.value},
        )

    def set_timezone(self, account: Account, timezone: str) -> Account:
        """Store the zone amoCRM reports (a no-op when it is the stored one)."""
        if not timezone or timezone == account.timezone:
            return account
        self._table.update_item(
            Key={"account_id": account.account_id},
            UpdateExpression="SET #tz = :tz",
            ConditionExpression="attribute_exists(account_id)",
            ExpressionAttributeNames={"#tz": "timezone"},
            ExpressionAttributeValues={":tz": timezone},
        )
        return replace(account, timezone=timezone)
