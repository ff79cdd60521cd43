"""Why a DP hook is refused: one class per answer the edge gives (code + data, no HTTP status).

Statuses the edge gives them: `HookMalformed` 400 (`empty-body`, `bad-json`, `bad-body`,
`bad-hook` with `errors`), `HookStale` 400 (`stale-event`: an
`event[time]` outside the accepted window, so an old signed hook cannot be replayed),
`HookUnsupported` 422 (`unsupported-entity`), `HookAccountGone` 410 (`uninstalled`,
`reinstall-required`), `HookUnauthorized` 401 (`account-mismatch`, `unsigned`, `bad-signature`),
`HookKeyRetired` 401 (`signature-key-retired`: signed with a client secret retired after a rotation).
`HookUnknownAccount` is answered exactly like a bad signature (401 `bad-signature`, same words):
the answer must not tell which account ids have the widget installed.
Data keys other than `errors` only fill the message's placeholders.
"""

from __future__ import annotations

from typing import Any

from dealcopy.errors import DomainError


class HookRejected(DomainError):
    """Any refused hook (nothing is queued)."""

    def details(self) -> dict[str, Any]:
        """Only the located field problems, if any: the rest is in the message."""
        return {"errors": self.data["errors"]} if "errors" in self.data else {}


class HookMalformed(HookRejected):
    code = "bad-hook"


class HookUnsupported(HookRejected):
    code = "unsupported-entity"


class HookStale(HookRejected):
    code = "stale-event"


class HookAccountGone(HookRejected):
    code = "uninstalled"


class HookUnauthorized(HookRejected):
    code = "bad-signature"


class HookKeyRetired(HookRejected):
    """A genuine rule signed with the previous client secret after its window: the admin re-saves the action."""

    code = "signature-key-retired"


class HookUnknownAccount(HookUnauthorized):
    """No such installed account: told apart from a bad signature only in our logs."""

    code = "bad-signature"

    def __init__(self, **data: Any) -> None:
        self.account_id = data.get("account_id")
        super().__init__("bad-signature")
