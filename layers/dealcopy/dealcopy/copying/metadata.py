"""What the copy engine must know about an account: pipelines, users and rights, lead fields, catalogs.

`load_metadata` costs exactly four requests; `MetadataCache` keeps the result per
account for a few minutes so a warm copy costs only its own reads and writes.

The cache is never trusted over what amoCRM shows: a source deal carrying a field the cached
metadata does not know means a field was added since it was loaded, so `covering` reloads it
once and the copy is planned again with the new field (not skipped as «deleted»); ids a reload
did not learn either are remembered until the entry expires, so they cost no further loads.
Opening the widget's settings asks for metadata at most `OPEN_MAX_AGE` seconds old.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

INCOMING_STATUS_TYPE = 1  # "Неразобранное": leads enter it only through the unsorted API
WON_STATUS_ID = 142
LOST_STATUS_ID = 143


class AmoApi(Protocol):
    """The part of `AmoClient` the copy engine uses (tests pass the real client)."""

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any: ...

    def post(self, path: str, json: Any, *, idempotent: bool = False) -> Any: ...

    def patch(self, path: str, json: Any) -> Any: ...

    def paginate(
        self, path: str, embedded_key: str, params: dict[str, Any] | None = None, limit: int = 250
    ) -> Iterable[dict[str, Any]]: ...


@dataclass(frozen=True)
class StatusInfo:
    id: int
    name: str
    pipeline_id: int
    type: int = 0

    @property
    def is_incoming(self) -> bool:
        return self.type == INCOMING_STATUS_TYPE


@dataclass(frozen=True)
class PipelineInfo:
    id: int
    name: str
    statuses: dict[int, StatusInfo]
    is_main: bool = False


@dataclass(frozen=True)
class UserInfo:
    """A user with the lead rights the copy needs (levels A/G/M/D as amoCRM spells them)."""

    id: int
    name: str
    is_admin: bool
    is_active: bool
    group_id: int | None
    lead_rights: dict[str, str]
    # (pipeline_id, status_id) -> {"view": .., "edit": .., ...}
    status_rights: dict[tuple[int, int], dict[str, str]] = field(default_factory=dict)
    lang: str | None = None  # the user's interface language as amoCRM reports it (`lang` of /api/v4/users)


@dataclass(frozen=True)
class FieldInfo:
    id: int
    name: str
    type: str
    code: str | None = None
    enums: dict[int, str] = field(default_factory=dict)

    def enum_id_of(self, value: Any) -> int | None:
        return next((eid for eid, text in self.enums.items() if text == value), None)


@dataclass(frozen=True)
class CatalogInfo:
    id: int
    name: str
    type: str  # regular | invoices | products


@dataclass(frozen=True)
class AccountMetadata:
    pipelines: dict[int, PipelineInfo]
    users: dict[int, UserInfo]
    fields: dict[int, FieldInfo]
    catalogs: dict[int, CatalogInfo]

    def status(self, pipeline_id: int, status_id: int) -> StatusInfo | None:
        pipeline = self.pipelines.get(pipeline_id)
        return pipeline.statuses.get(status_id) if pipeline else None


# --- parsing (shapes of GET /leads/pipelines, /users?with=role, /leads/custom_fields, /catalogs) ---


def _int(value: Any) -> int | None:
    try:
        return int(value) if value is not None and not isinstance(value, bool) else None
    except (TypeError, ValueError):
        return None


def parse_pipeline(raw: dict[str, Any]) -> PipelineInfo:
    pid = int(raw["id"])
    statuses = {}
    for s in (raw.get("_embedded") or {}).get("statuses") or []:
        sid, name = int(s["id"]), str(s.get("name", ""))
        status = StatusInfo(sid, name, _int(s.get("pipeline_id")) or pid, _int(s.get("type")) or 0)
        statuses[status.id] = status
    return PipelineInfo(pid, str(raw.get("name", "")), statuses, bool(raw.get("is_main")))


def _levels(raw: Any) -> dict[str, str]:
    return {str(k): str(v) for k, v in (raw or {}).items() if isinstance(v, str)}


def parse_user(raw: dict[str, Any]) -> UserInfo:
    """Rights live in `rights` (is_admin/is_active/group_id too); top-level copies are accepted as well (U)."""
    rights = raw.get("rights") or {}

    def pick(key: str, default: Any) -> Any:
        return rights.get(key, raw.get(key, default))

    status_rights = {}
    for item in rights.get("status_rights") or []:
        if item.get("entity_type", "leads") != "leads":
            continue
        pipeline_id, status_id = _int(item.get("pipeline_id")), _int(item.get("status_id"))
        if pipeline_id is not None and status_id is not None:
            status_rights[(pipeline_id, status_id)] = _levels(item.get("rights"))
    return UserInfo(
        id=int(raw["id"]),
        name=str(raw.get("name", "")),
        is_admin=bool(pick("is_admin", False)),
        is_active=bool(pick("is_active", True)),
        group_id=_int(pick("group_id", None)),
        lead_rights=_levels(rights.get("leads")),
        status_rights=status_rights,
        lang=str(raw["lang"]) if raw.get("lang") else None,
    )


def parse_field(raw: dict[str, Any]) -> FieldInfo:
    enums = {int(e["id"]): str(e.get("value", "")) for e in raw.get("enums") or [] if _int(e.get("id")) is not None}
    return FieldInfo(int(raw["id"]), str(raw.get("name", "")), str(raw.get("type", "")), raw.get("code"), enums)


def parse_catalog(raw: dict[str, Any]) -> CatalogInfo:
    return CatalogInfo(int(raw["id"]), str(raw.get("name", "")), str(raw.get("type", "regular")))


def load_metadata(api: AmoApi) -> AccountMetadata:
    """Exactly four requests: pipelines, users with roles, lead fields (paged), catalogs (paged)."""
    body = api.get("/api/v4/leads/pipelines") or {}
    pipelines = [parse_pipeline(p) for p in (body.get("_embedded") or {}).get("pipelines") or []]
    users = [parse_user(u) for u in api.paginate("/api/v4/users", "users", {"with": "role"})]
    fields = [parse_field(f) for f in api.paginate("/api/v4/leads/custom_fields", "custom_fields")]
    catalogs = [parse_catalog(c) for c in api.paginate("/api/v4/catalogs", "catalogs")]
    return AccountMetadata(
        pipelines={p.id: p for p in pipelines},
        users={u.id: u for u in users},
        fields={f.id: f for f in fields},
        catalogs={c.id: c for c in catalogs},
    )


class MetadataCache:
    """In-process metadata per account with a TTL (default 5 minutes) and an injectable clock.

    Loads are serialized per account, so concurrent copies of one account load once.
    """

    def __init__(self, ttl: float = 300.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self._clock = clock
        self._entries: dict[str, tuple[float, AccountMetadata]] = {}
        self._unknown: dict[str, frozenset[int]] = {}  # field ids the latest load did not know either
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def _lock(self, key: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())

    def peek(self, key: str) -> AccountMetadata | None:
        """The cached metadata if still fresh, without loading."""
        entry = self._entries.get(key)
        if entry is None or self._clock() - entry[0] >= self.ttl:
            return None
        return entry[1]

    def get(self, key: str, load: Callable[[], AccountMetadata], max_age: float | None = None) -> AccountMetadata:
        """The cached metadata, loaded when absent, past the TTL or older than `max_age` seconds."""
        fresh = self._young(key, max_age)
        if fresh is not None:
            return fresh
        with self._lock(key):
            fresh = self._young(key, max_age)
            if fresh is None:
                fresh = self._load(key, load)
            return fresh

    def covering(self, key: str, load: Callable[[], AccountMetadata], field_ids: Iterable[int]) -> AccountMetadata:
        """The metadata, reloaded once if it lacks one of `field_ids` (fields on a deal amoCRM just read)."""
        metadata = self.get(key, load)
        missing = {fid for fid in field_ids if fid not in metadata.fields}
        if not missing or missing <= self._unknown.get(key, frozenset()):
            return metadata
        with self._lock(key):
            current = self.peek(key)
            if current is not None and current is not metadata and missing <= current.fields.keys():
                return current  # another caller reloaded meanwhile
            fresh = self._load(key, load)
            self._unknown[key] = frozenset(missing - fresh.fields.keys())
            return fresh

    def invalidate(self, key: str) -> None:
        self._entries.pop(key, None)

    def _young(self, key: str, max_age: float | None) -> AccountMetadata | None:
        entry = self._entries.get(key)
        if entry is None or (max_age is not None and self._clock() - entry[0] >= max_age):
            return None
        return self.peek(key)

    def _load(self, key: str, load: Callable[[], AccountMetadata]) -> AccountMetadata:
        fresh = load()
        self._entries[key] = (self._clock(), fresh)
        self._unknown.pop(key, None)
        return fresh


default_cache = MetadataCache()
