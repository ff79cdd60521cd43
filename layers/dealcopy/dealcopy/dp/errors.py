"""Why a DP hook is refused: one class per answer the edge gives (code + data, no HTTP status).

Statuses the edge gives them: `HookMalformed` 400 (`empty-body`, `bad-json`, `bad-body`,
`bad-hook` with `errors`, `bad-rule` with `errors`), `HookUnsupported` 422
(`unsupported-entity`), `HookUnknownAccount` 404 (`unknown-account`), `HookAccountGone` 410
(`uninstalled`, `reinstall-required`), `HookUnauthorized` 401 (`account-mismatch`, `unsigned`,
`bad-signature`). Data keys other than `errors` only fill the message's placeholders.
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


class HookUnknownAccount(HookRejected):
    code = "unknown-account"


class HookAccountGone(HookRejected):
    code = "uninstalled"


class HookUnauthorized(HookRejected):
    code = "bad-signature"
