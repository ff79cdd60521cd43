"""In-memory data model of the emulator: integrations, tokens and accounts.

CRM entities are small dataclasses; their API shapes live in ``serialize.py``.
Ids are allocated per account and per kind, so a demo account always gets the
same ids (statuses 142/143 repeat in every pipeline, as in amoCRM).
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from typing import Any

from .clock import Clock
from .dp import DpBook
from .faults import FaultBook
from .ratelimit import LimitConfig, RateLimiter
from .requestlog import RequestLog

SHARED_API_PREFIX = "api-b"  # tokens name api-b.amocrm.ru (facts: Hosts); which letter is amoCRM's choice

WON_STATUS_ID = 142
LOST_STATUS_ID = 143
INCOMING_TYPE = 1
NORMAL_TYPE = 0

# First id of each kind; picked to look like real amoCRM ids of a young account.
ID_BASES = {
    "pipeline": 8_000_000,
    "status": 71_000_000,
    "user": 11_000_000,
    "role": 500_000,
    "group": 400_000,
    "field": 1_000_000,
    "enum": 2_000_000,
    "catalog": 12_000,
    "element": 1_300_000,
    "contact": 52_000_000,
    "company": 53_000_000,
    "lead": 24_000_000,
    "note": 190_000_000,
    "event": 0,
    "tag": 400_000,
    "loss_reason": 9_000_000,
}


class IdAllocator:
    def __init__(self) -> None:
        self._next = dict(ID_BASES)
        self._used: dict[str, set[int]] = {k: set() for k in ID_BASES}

    def claim(self, kind: str, wanted: int | None = None) -> int:
        """``wanted`` if given and free, else the next free id of that kind."""
        used = self._used[kind]
        if wanted is not None:
            if wanted in used:
                raise ValueError(f"{kind} id {wanted} is already used")
            used.add(wanted)
            # Later ids keep growing past fixed ones, as real ids only ever grow.
            self._next[kind] = max(self._next[kind], wanted)
            return wanted
        candidate = self._next[kind] + 1
        while candidate in used:
            candidate += 1
        self._next[kind] = candidate
        used.add(candidate)
        return candidate


@dataclass
class Status:
    id: int
    name: str
    sort: int
    pipeline_id: int
    color: str = "#99ccff"
    type: int = NORMAL_TYPE
    is_editable: bool = True


@dataclass
class Pipeline:
    id: int
    name: str
    sort: int
    is_main: bool = False
    is_unsorted_on: bool = True
    is_archive: bool = False
    statuses: list[Status] = field(default_factory=list)

    def status(self, status_id: int) -> Status | None:
        return next((s for s in self.statuses if s.id == status_id), None)

    def first_stage(self) -> Status:
        """Where a lead lands when no status is given: first stage after incoming."""
        normal = [s for s in self.statuses if s.type == NORMAL_TYPE and s.id not in (142, 143)]
        return min(normal, key=lambda s: s.sort) if normal else self.statuses[0]


@dataclass
class User:
    id: int
    name: str
    email: str
    rights: dict[str, Any]  # everything of API "rights" except status_rights
    status_rights: list[dict[str, Any]] = field(default_factory=list)  # overrides per (pipeline, status)
    lang: str = "ru"
    uuid: str = field(default_factory=lambda: secrets.token_hex(16))
    amojo_id: str = field(default_factory=lambda: secrets.token_hex(16))

    @property
    def is_active(self) -> bool:
        return bool(self.rights.get("is_active", True))


@dataclass
class Group:
    id: int
    name: str


@dataclass
class Role:
    id: int
    name: str
    rights: dict[str, Any]


@dataclass
class EnumValue:
    id: int
    value: str
    sort: int
    code: str | None = None


@dataclass
class CustomField:
    id: int
    name: str
    type: str
    entity_type: str  # leads | contacts | companies | catalogs
    sort: int = 500
    code: str | None = None
    enums: list[EnumValue] | None = None
    catalog_id: int | None = None  # for fields of a catalog (entity_type "catalogs")
    is_api_only: bool = False
    is_predefined: bool = False
    is_deletable: bool = True
    group_id: str | None = None
    required_statuses: list[dict[str, int]] = field(default_factory=list)
    hidden_statuses: list[dict[str, int]] = field(default_factory=list)
    settings: dict[str, Any] | None = None
    remind: str | None = None
    currency: str | None = None
    chained_lists: list[dict[str, Any]] | None = None
    nested: list[dict[str, Any]] | None = None
    refuses_api_writes: bool = False  # emulator-only: a field the API refuses to write (see custom_fields)

    def enum_by_id(self, enum_id: Any) -> EnumValue | None:
        return next((e for e in self.enums or [] if e.id == enum_id), None)

    def enum_by_value(self, value: Any) -> EnumValue | None:
        return next((e for e in self.enums or [] if e.value == value), None)

    def enum_by_code(self, code: Any) -> EnumValue | None:
        return next((e for e in self.enums or [] if e.code == code), None)


@dataclass
class Catalog:
    id: int
    name: str
    type: str  # regular | invoices | products
    sort: int
    created_at: int
    created_by: int = 0
    can_add_elements: bool = True
    can_show_in_cards: bool = True
    can_link_multiple: bool = True
    can_be_deleted: bool = True


# Stored custom field values: {field_id: [normalized value dicts]} in write order.
FieldValues = dict[int, list[dict[str, Any]]]


@dataclass
class CatalogElement:
    id: int
    catalog_id: int
    name: str
    created_at: int
    updated_at: int
    created_by: int = 0
    fields: FieldValues = field(default_factory=dict)
    is_deleted: bool = False


@dataclass
class Party:
    """What contacts and companies have in common."""

    id: int
    name: str
    responsible_user_id: int
    created_at: int
    updated_at: int
    created_by: int = 0
    updated_by: int = 0
    group_id: int = 0
    fields: FieldValues = field(default_factory=dict)
    tag_ids: list[int] = field(default_factory=list)
    is_deleted: bool = False


@dataclass
class Contact(Party):
    first_name: str = ""
    last_name: str = ""
    company_id: int | None = None


@dataclass
class Company(Party):
    pass


@dataclass
class Lead:
    id: int
    name: str
    price: int | float | None  # fractional budgets exist (the SDK sends floats)
    responsible_user_id: int
    group_id: int
    status_id: int
    pipeline_id: int
    created_by: int
    updated_by: int
    created_at: int
    updated_at: int
    closed_at: int | None = None
    closest_task_at: int | None = None
    loss_reason_id: int | None = None
    source_id: int | None = None
    score: int | None = None
    labor_cost: int | None = None
    is_price_modified_by_robot: bool = False
    is_deleted: bool = False
    fields: FieldValues = field(default_factory=dict)
    tag_ids: list[int] = field(default_factory=list)


@dataclass
class Link:
    """A lead's link to a contact, company or catalog element (``/leads/{id}/links``)."""

    entity_id: int
    to_entity_id: int
    to_entity_type: str  # contacts | companies | catalog_elements
    metadata: dict[str, Any] | None = None
    entity_type: str = "leads"


@dataclass
class Note:
    id: int
    entity_type: str
    entity_id: int
    note_type: str
    params: dict[str, Any]
    created_by: int
    responsible_user_id: int
    created_at: int
    updated_at: int
    updated_by: int = 0
    group_id: int = 0


@dataclass
class Event:
    id: str
    type: str
    entity_type: str  # lead | contact | company
    entity_id: int
    created_by: int
    created_at: int
    value_after: list[dict[str, Any]]
    value_before: list[dict[str, Any]]


@dataclass
class Tag:
    id: int
    name: str
    color: str | None = None


@dataclass
class LossReason:
    id: int
    name: str
    sort: int
    created_at: int


@dataclass
class Install:
    client_id: str
    user_id: int
    active: bool = True


@dataclass
class Account:
    id: int
    subdomain: str
    name: str
    created_at: int
    base_domain: str = "amocrm.ru"
    timezone: str = "Europe/Moscow"  # the account's zone (`with=datetime_settings`)
    ids: IdAllocator = field(default_factory=IdAllocator)
    pipelines: dict[int, Pipeline] = field(default_factory=dict)
    users: dict[int, User] = field(default_factory=dict)
    groups: dict[int, Group] = field(default_factory=dict)
    roles: dict[int, Role] = field(default_factory=dict)
    custom_fields: dict[int, CustomField] = field(default_factory=dict)
    catalogs: dict[int, Catalog] = field(default_factory=dict)
    elements: dict[int, CatalogElement] = field(default_factory=dict)
    contacts: dict[int, Contact] = field(default_factory=dict)
    companies: dict[int, Company] = field(default_factory=dict)
    leads: dict[int, Lead] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    notes: dict[int, Note] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    tags: dict[int, Tag] = field(default_factory=dict)
    loss_reasons: dict[int, LossReason] = field(default_factory=dict)
    installs: dict[str, Install] = field(default_factory=dict)
    limits: LimitConfig = field(default_factory=LimitConfig)
    limiter: RateLimiter = field(init=False)
    faults: FaultBook = field(default_factory=FaultBook)
    log: RequestLog = field(default_factory=RequestLog)
    dp: DpBook = field(default_factory=DpBook)

    def __post_init__(self) -> None:
        self.limiter = RateLimiter(self.limits)

    @property
    def domain(self) -> str:
        """The account's own host: what people open and what the API of this account answers on."""
        return f"{self.subdomain}.{self.base_domain}"

    @property
    def api_domain(self) -> str:
        """The *shared* API host amoCRM puts in the token's `api_domain` claim (facts: Hosts, C via the SDK).

        It serves only account-independent OAuth calls such as the subdomain lookup.
        """
        return f"{SHARED_API_PREFIX}.{self.base_domain}"

    @property
    def main_pipeline(self) -> Pipeline:
        return next((p for p in self.pipelines.values() if p.is_main), next(iter(self.pipelines.values())))

    @property
    def admin_user_id(self) -> int:
        admins = [u.id for u in self.users.values() if u.rights.get("is_admin") and u.is_active]
        return admins[0] if admins else next(iter(self.users))

    def fields_of(self, entity_type: str, catalog_id: int | None = None) -> list[CustomField]:
        return [
            f
            for f in self.custom_fields.values()
            if f.entity_type == entity_type and (catalog_id is None or f.catalog_id == catalog_id)
        ]

    def active_lead(self, lead_id: int | None) -> Lead | None:
        lead = self.leads.get(lead_id) if lead_id is not None else None
        return lead if lead is not None and not lead.is_deleted else None

    def links_of(self, lead_id: int, to_entity_type: str | None = None) -> list[Link]:
        return [
            link
            for link in self.links
            if link.entity_id == lead_id and (to_entity_type is None or link.to_entity_type == to_entity_type)
        ]


@dataclass
class Integration:
    client_id: str
    client_secret: str
    redirect_uri: str
    name: str = ""


@dataclass
class AuthCode:
    code: str
    client_id: str
    account_id: int
    user_id: int
    created_at: float
    used: bool = False
    revoked: bool = False


@dataclass
class TokenPair:
    """One access/refresh pair.  ``parent`` is the pair whose refresh token produced it."""

    jti: str
    access_token: str
    refresh_token: str
    account_id: int
    client_id: str
    user_id: int
    issued_at: float
    access_expires_at: float
    refresh_expires_at: float
    parent: TokenPair | None = None
    used: bool = False
    refresh_invalidated: bool = False
    revoked: bool = False


class EmulatorState:
    """Everything the emulator knows; one instance per app."""

    def __init__(self, default_rate: int = 7) -> None:
        # amoCRM's 7 requests/s; tests may emulate a faster limit so rate-bound checks take less time.
        self.default_rate = default_rate
        self.lock = threading.RLock()
        self.clock = Clock()
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.jwt_key = secrets.token_bytes(32)
            self.clock.reset()
            self.accounts: dict[int, Account] = {}
            self.integrations: dict[str, Integration] = {}
            self.codes: dict[str, AuthCode] = {}
            self.tokens_by_jti: dict[str, TokenPair] = {}
            self.tokens_by_refresh: dict[str, TokenPair] = {}
            self._next_account_id = 30_000_100  # keeps the demo account's 30000001 free

    def allocate_account_id(self) -> int:
        candidate = self._next_account_id + 1
        while candidate in self.accounts:
            candidate += 1
        self._next_account_id = candidate
        return candidate

    def account_by_subdomain(self, subdomain: str) -> Account | None:
        return next((a for a in self.accounts.values() if a.subdomain == subdomain), None)

    def account_by_domain(self, host: str) -> Account | None:
        return next((a for a in self.accounts.values() if a.domain == host), None)
