"""What the HTTP client needs from token storage (implemented in dealcopy.storage.tokens)."""

from __future__ import annotations

from typing import Protocol


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
