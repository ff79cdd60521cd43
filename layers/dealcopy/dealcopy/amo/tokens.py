"""What the HTTP client needs from token storage (implemented in dealcopy.storage.tokens)."""

from __future__ import annotations

from typing import Protocol

from dealcopy.amo.errors import AmoUnavailable


class RefreshUnavailable(AmoUnavailable):
    """No fresh token right now, though the grant may be fine: amoCRM blocked (403), rate-limited,
    failed or was slow, or another instance's refresh is still running. Temporary: the widget
    gets 503 with Retry-After, a job goes back to the queue. Only a definite OAuth refusal
    is `ReinstallRequired`."""


class TokenProvider(Protocol):
    """Hands out a valid access token for one account and refreshes it on demand."""

    def access_token(self) -> str: ...

    def refreshed_after(self, rejected: str) -> str:
        """A token newer than `rejected` (refreshing it if nobody else already has)."""
        ...


class StaticToken:
    """A fixed token (tests, one-off scripts); a 401 cannot be healed."""

    def __init__(self, token: str) -> None:
        self._token = token

    def access_token(self) -> str:
        return self._token

    def refreshed_after(self, rejected: str) -> str:
        return self._token
