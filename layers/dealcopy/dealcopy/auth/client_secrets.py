"""The integration's client secret, and the previous one for a while after a rotation.

amoCRM signs the widget's one-time tokens and the uninstall hook with the secret it has, and our
DP rule signatures are keyed on it (`dp.signing`). Rotating the secret in amoCRM would otherwise
break every signed DP rule at once; so the Secrets Manager secret may hold, besides the plain
string of old, a JSON object:

    {"client_secret": "<new>", "previous_client_secret": "<old>", "rotated_at": "2026-12-01T10:00:00Z"}

During `window` seconds after `rotated_at` both secrets are accepted; afterwards only the current
one, and a DP rule still signed with the old one is refused with its own answer (re-save the DP
action). A secret is named by its key id: the first 8 hex digits of its SHA-256, safe to log and
to put into signatures (it reveals nothing usable of a high-entropy secret).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

DEFAULT_WINDOW_DAYS = 30


def key_id(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()[:8]


@dataclass(frozen=True)
class ClientSecrets:
    current: str
    previous: str | None = None
    rotated_at: int | None = None  # epoch seconds
    window: int = DEFAULT_WINDOW_DAYS * 86400

    @classmethod
    def parse(cls, raw: str, *, window_days: int = DEFAULT_WINDOW_DAYS) -> ClientSecrets:
        """A plain string (no rotation yet) or the JSON object above; anything else is a ValueError."""
        text = raw.strip()
        if not text.startswith("{"):
            if not text:
                raise ValueError("the client secret is empty")
            return cls(text, window=window_days * 86400)
        try:
            data = json.loads(text)
        except ValueError:
            raise ValueError("the client secret looks like JSON but does not parse") from None
        current, previous = data.get("client_secret"), data.get("previous_client_secret")
        if not isinstance(current, str) or not current:
            raise ValueError("the client secret's JSON has no client_secret")
        if previous in (None, ""):
            return cls(current, window=window_days * 86400)
        if not isinstance(previous, str):
            raise ValueError("previous_client_secret must be a string")
        return cls(current, previous, _epoch(data.get("rotated_at")), window_days * 86400)

    @property
    def current_key_id(self) -> str:
        return key_id(self.current)

    @property
    def previous_key_id(self) -> str | None:
        return key_id(self.previous) if self.previous else None

    def in_window(self, now: float) -> bool:
        """Whether the previous secret is still accepted."""
        return self.previous is not None and self.rotated_at is not None and now < self.rotated_at + self.window

    def accepted(self, now: float) -> tuple[str, ...]:
        """The secrets a signature may be made with right now, the current one first."""
        return (self.current, self.previous) if self.in_window(now) and self.previous else (self.current,)

    def window_ends(self) -> int | None:
        return None if self.rotated_at is None else self.rotated_at + self.window

    def signed_with_old_key(self, signed_key_id: str | None, signed_at: int) -> bool:
        """Whether a signature recorded with `signed_key_id` (None: recorded before key ids) needs re-signing."""
        if signed_key_id:
            return signed_key_id != self.current_key_id
        return self.rotated_at is not None and signed_at < self.rotated_at


def _epoch(value: object) -> int:
    """`rotated_at` as epoch seconds: an ISO 8601 time (with its zone) or a number."""
    if isinstance(value, bool) or value is None:
        raise ValueError("previous_client_secret needs rotated_at (ISO 8601 time of the rotation)")
    if isinstance(value, int | float):
        return int(value)
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError("rotated_at must be an ISO 8601 time such as 2026-12-01T10:00:00Z") from None
        if moment.tzinfo is None:
            raise ValueError("rotated_at must name its time zone (…Z or +03:00)")
        return int(moment.timestamp())
    raise ValueError("rotated_at must be an ISO 8601 time such as 2026-12-01T10:00:00Z")
