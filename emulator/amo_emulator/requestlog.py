"""Per-account request log and the statistics tests and benchmarks assert on."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass
class LogEntry:
    seq: int
    ts: float
    method: str
    path: str
    template: str
    query: dict[str, list[str]]
    status: int = 0
    rate_limited: bool = False
    blocked: bool = False
    fault: str | None = None
    grant_type: str | None = None
    body: Any = None
    user_id: int | None = None
    host: str | None = None  # the Host the client addressed (None: the emulator's own address)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def max_in_window(times: list[float], window: float = 1.0) -> int:
    """Largest number of timestamps inside any half-open window of ``window`` seconds."""
    times = sorted(times)
    best = start = 0
    for end, t in enumerate(times):
        while t - times[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


class RequestLog:
    def __init__(self) -> None:
        self.entries: list[LogEntry] = []
        self._next_seq = 1

    def open(self, **fields: Any) -> LogEntry:
        entry = LogEntry(seq=self._next_seq, **fields)
        self._next_seq += 1
        self.entries.append(entry)
        return entry

    def since(self, seq: int = 0) -> list[dict[str, Any]]:
        return [e.as_dict() for e in self.entries if e.seq > seq]

    def clear(self) -> None:
        self.entries.clear()

    def stats(self) -> dict[str, Any]:
        api = [e for e in self.entries if e.path.startswith("/api/")]
        oauth = [e for e in self.entries if e.path.startswith("/oauth2/")]
        by_path: dict[str, int] = {}
        by_status: dict[str, int] = {}
        for e in api:
            by_path[e.template] = by_path.get(e.template, 0) + 1
        for e in self.entries:
            by_status[str(e.status)] = by_status.get(str(e.status), 0) + 1
        accepted = [e.ts for e in api if not e.rate_limited and not e.blocked]
        grants = [e.grant_type for e in oauth if 200 <= e.status < 300]
        return {
            "total": len(self.entries),
            "api_total": len(api),
            "oauth_total": len(oauth),
            "by_path": by_path,
            "by_status": by_status,
            "rate_limited": sum(1 for e in api if e.rate_limited),
            "status_429": sum(1 for e in self.entries if e.status == 429),
            "blocked": sum(1 for e in api if e.blocked),
            "faults": sum(1 for e in self.entries if e.fault),
            "max_per_second": max_in_window([e.ts for e in api]),
            "max_per_second_accepted": max_in_window(accepted),
            "code_exchanges": grants.count("authorization_code"),
            "refreshes": grants.count("refresh_token"),
        }
