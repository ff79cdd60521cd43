"""Building account content from plain dicts (control API ``/seed``, demo, empty accounts).

Seeds go through the same validation as API writes where that matters (lead
stages, enum values, link metadata) and bypass it only where fixtures need to:
explicit ids, timestamps, read-only field types, deactivated owners.
"""

from __future__ import annotations

from typing import Any

from . import lead_writer
from .custom_fields import FIELD_TYPES, apply_values, default_enums, is_offered, normalize_values
from .links import add_link, validate_link
from .problems import ItemErrors
from .ratelimit import LimitConfig
from .state import (
    INCOMING_TYPE,
    LOST_STATUS_ID,
    WON_STATUS_ID,
    Account,
    Catalog,
    CatalogElement,
    Company,
    Contact,
    CustomField,
    EmulatorState,
    EnumValue,
    Group,
    LossReason,
    Note,
    Pipeline,
    Role,
    Status,
    Tag,
    User,
)

ENTITY_RIGHTS = ("view", "edit", "add", "delete", "export")
CATALOG_TYPES = ("regular", "invoices", "products")


class SeedError(ValueError):
    """A seed item was invalid; ``errors`` uses the API's validation-error shape."""

    def __init__(self, section: str, errors: list[ItemErrors] | None = None, message: str = "") -> None:
        details = "; ".join(f"{e['path']}: {e['detail']}" for item in errors or [] for e in item.errors)
        super().__init__(message or f"invalid {section} ({details})")
        self.section = section
        self.errors = errors or []

    def as_dict(self) -> dict[str, Any]:
        return {
            "error": str(self),
            "section": self.section,
            "validation-errors": [{"request_id": e.request_id, "errors": e.errors} for e in self.errors],
        }


def _check(section: str, errors: ItemErrors) -> None:
    if errors:
        raise SeedError(section, [errors])


# --- account ------------------------------------------------------------------------------------


def new_account(
    state: EmulatorState,
    subdomain: str,
    account_id: int | None = None,
    name: str | None = None,
    base_domain: str = "amocrm.ru",
) -> Account:
    if state.account_by_subdomain(subdomain):
        raise ValueError(f"subdomain {subdomain!r} is taken")
    if account_id is not None and account_id in state.accounts:
        raise ValueError(f"account {account_id} exists")
    account = Account(
        id=account_id if account_id is not None else state.allocate_account_id(),
        subdomain=subdomain,
        name=name or subdomain,
        created_at=state.clock.now_int(),
        base_domain=base_domain,
        limits=LimitConfig(rate=state.default_rate),
    )
    state.accounts[account.id] = account
    _predefined_fields(account)
    return account


def _predefined_fields(account: Account) -> None:
    """Phone/e-mail and friends exist in every amoCRM account."""
    specs = {
        "contacts": [
            ("Телефон", "multitext", "PHONE"),
            ("Email", "multitext", "EMAIL"),
            ("Должность", "text", "POSITION"),
        ],
        "companies": [
            ("Телефон", "multitext", "PHONE"),
            ("Email", "multitext", "EMAIL"),
            ("Web", "url", "WEB"),
            ("Адрес", "textarea", "ADDRESS"),
        ],
    }
    for entity_type, fields in specs.items():
        for sort, (name, type_, code) in enumerate(fields, start=1):
            add_custom_field(
                account,
                {
                    "name": name,
                    "type": type_,
                    "code": code,
                    "sort": sort * 2,
                    "is_predefined": True,
                    "is_deletable": False,
                },
                entity_type,
            )


def seed_minimal(account: Account) -> None:
    """An empty account as amoCRM creates it: one pipeline and its admin."""
    add_pipeline(account, {"name": "Воронка", "statuses": ["Первичный контакт", "Переговоры", "Принимают решение"]})
    add_user(account, {"name": "Администратор", "email": f"admin@{account.subdomain}.example", "is_admin": True})


# --- structure ------------------------------------------------------------------------------------


def add_pipeline(account: Account, spec: dict[str, Any]) -> Pipeline:
    pipeline_id = account.ids.claim("pipeline", spec.get("id"))
    pipeline = Pipeline(
        id=pipeline_id,
        name=spec["name"],
        sort=spec.get("sort", (len(account.pipelines) + 1) * 10),
        is_main=spec.get("is_main", not account.pipelines),
        is_unsorted_on=spec.get("is_unsorted_on", True),
        is_archive=spec.get("is_archive", False),
    )
    if pipeline.is_main:
        for other in account.pipelines.values():
            other.is_main = False
    stages = [s if isinstance(s, dict) else {"name": s} for s in spec.get("statuses", [])]
    if not any(s.get("type") == INCOMING_TYPE for s in stages):
        incoming = {
            "name": spec.get("incoming_name", "Неразобранное"),
            "type": INCOMING_TYPE,
            "color": "#c1c1c1",
        }
        stages.insert(0, {"id": spec.get("incoming_id"), **incoming})
    stages += [
        {"id": WON_STATUS_ID, "name": "Успешно реализовано", "color": "#CCFF66", "is_editable": False},
        {"id": LOST_STATUS_ID, "name": "Закрыто и не реализовано", "color": "#D5D8DB", "is_editable": False},
    ]
    palette = ("#99ccff", "#ffff99", "#ffcc66", "#ffcccc", "#ccc8f9", "#deff81", "#87f2c0")
    for n, stage in enumerate(stages):
        is_special = stage.get("id") in (WON_STATUS_ID, LOST_STATUS_ID)
        sid = stage["id"] if is_special else account.ids.claim("status", stage.get("id"))
        pipeline.statuses.append(
            Status(
                id=sid,
                name=stage["name"],
                sort=stage.get("sort", 10000 + n if is_special else (n + 1) * 10),
                pipeline_id=pipeline_id,
                color=stage.get("color", palette[n % len(palette)]),
                type=stage.get("type", 0),
                is_editable=stage.get("is_editable", stage.get("type", 0) != INCOMING_TYPE),
            )
        )
    account.pipelines[pipeline_id] = pipeline
    return pipeline


def entity_rights(level: str = "A") -> dict[str, str]:
    return dict.fromkeys(ENTITY_RIGHTS, level)


def add_user(account: Account, spec: dict[str, Any]) -> User:
    user_id = account.ids.claim("user", spec.get("id"))
    custom = spec.get("rights") or {}
    rights: dict[str, Any] = {
        "leads": entity_rights() | custom.get("leads", {}),
        "contacts": entity_rights() | custom.get("contacts", {}),
        "companies": entity_rights() | custom.get("companies", {}),
        "tasks": {"edit": "A", "delete": "A"} | custom.get("tasks", {}),
        "mail_access": custom.get("mail_access", True),
        "catalog_access": custom.get("catalog_access", True),
        "files_access": custom.get("files_access", True),
        "catalog_rights": None,
        "custom_fields_rights": None,
        "oper_day_reports_view_access": False,
        "oper_day_user_tracking": False,
        "is_admin": bool(spec.get("is_admin", False)),
        "is_free": bool(spec.get("is_free", False)),
        "is_active": bool(spec.get("is_active", True)),
        "group_id": spec.get("group_id"),
        "role_id": spec.get("role_id"),
    }
    user = User(
        id=user_id,
        name=spec["name"],
        email=spec.get("email") or f"user{user_id}@{account.subdomain}.example",
        rights=rights,
        status_rights=list(spec.get("status_rights") or []),
        lang=spec.get("lang", "ru"),
    )
    account.users[user_id] = user
    return user


def add_group(account: Account, spec: dict[str, Any]) -> Group:
    group = Group(id=account.ids.claim("group", spec.get("id")), name=spec["name"])
    account.groups[group.id] = group
    return group


def add_role(account: Account, spec: dict[str, Any]) -> Role:
    rights = {"leads": entity_rights(), "contacts": entity_rights(), "companies": entity_rights()}
    rights.update(spec.get("rights") or {})
    role = Role(id=account.ids.claim("role", spec.get("id")), name=spec["name"], rights=rights)
    account.roles[role.id] = role
    return role


def add_loss_reason(account: Account, spec: dict[str, Any], now: int) -> LossReason:
    reason = LossReason(
        id=account.ids.claim("loss_reason", spec.get("id")),
        name=spec["name"],
        sort=spec.get("sort", (len(account.loss_reasons) + 1) * 10),
        created_at=now,
    )
    account.loss_reasons[reason.id] = reason
    return reason


def add_custom_field(
    account: Account, spec: dict[str, Any], entity_type: str = "leads", catalog_id: int | None = None
) -> CustomField:
    field_type = spec["type"]
    if field_type not in FIELD_TYPES:
        raise SeedError("custom_fields", message=f"unknown field type {field_type!r}")
    catalog = account.catalogs.get(catalog_id) if catalog_id is not None else None
    if not is_offered(field_type, entity_type, catalog.type if catalog else None):
        where = f"catalog {catalog.name!r}" if catalog else entity_type
        raise SeedError("custom_fields", message=f"amoCRM offers no {field_type!r} field on {where}")
    code = spec.get("code")
    raw_enums = spec.get("enums") or default_enums(field_type, code)
    enums = None
    if raw_enums:
        enums = []
        for n, raw in enumerate(raw_enums, start=1):
            item = raw if isinstance(raw, dict) else {"value": raw}
            coded = field_type in ("multitext", "smart_address")
            enums.append(
                EnumValue(
                    id=account.ids.claim("enum", item.get("id")),
                    value=item["value"],
                    sort=item.get("sort", n * 10),
                    code=item.get("code", item["value"] if coded else None),
                )
            )
    field = CustomField(
        id=account.ids.claim("field", spec.get("id")),
        name=spec["name"],
        type=field_type,
        entity_type=entity_type,
        sort=spec.get("sort", 500 + len(account.custom_fields)),
        code=code,
        enums=enums,
        catalog_id=catalog_id,
        is_api_only=spec.get("is_api_only", False),
        is_predefined=spec.get("is_predefined", False),
        is_deletable=spec.get("is_deletable", True),
        group_id=spec.get("group_id"),
        required_statuses=spec.get("required_statuses", []),
        hidden_statuses=spec.get("hidden_statuses", []),
        settings=spec.get("settings"),
        remind=spec.get("remind", "never" if field_type == "birthday" else None),
        currency=spec.get("currency", "RUB" if field_type == "monetary" else None),
        chained_lists=spec.get("chained_lists"),
        nested=spec.get("nested"),
        refuses_api_writes=spec.get("refuses_api_writes", False),
    )
    account.custom_fields[field.id] = field
    return field


def add_catalog(account: Account, spec: dict[str, Any], now: int) -> Catalog:
    catalog_type = spec.get("type", "regular")
    if catalog_type not in CATALOG_TYPES:
        raise SeedError("catalogs", message=f"unknown catalog type {catalog_type!r}")
    if catalog_type != "regular" and any(c.type == catalog_type for c in account.catalogs.values()):
        raise SeedError("catalogs", message=f"an account has at most one {catalog_type} catalog")
    catalog = Catalog(
        id=account.ids.claim("catalog", spec.get("id")),
        name=spec["name"],
        type=catalog_type,
        sort=spec.get("sort", (len(account.catalogs) + 1) * 10),
        created_at=now,
        can_add_elements=spec.get("can_add_elements", True),
        can_show_in_cards=spec.get("can_show_in_cards", True),
        can_link_multiple=spec.get("can_link_multiple", True),
        can_be_deleted=spec.get("can_be_deleted", catalog_type == "regular"),
    )
    account.catalogs[catalog.id] = catalog
    for field_spec in spec.get("custom_fields", []):
        add_custom_field(account, field_spec, "catalogs", catalog.id)
    return catalog


# --- content --------------------------------------------------------------------------------------


def _fields(account: Account, entity_type: str, spec: dict[str, Any], section: str, catalog_id: int | None = None):
    errors = ItemErrors(str(spec.get("id", spec.get("name", ""))))
    values = normalize_values(
        account,
        entity_type,
        spec.get("custom_fields_values"),
        errors,
        catalog_id=catalog_id,
        allow_read_only=True,
    )
    _check(section, errors)
    return values


def _tag_ids(account: Account, names: list[str]) -> list[int]:
    ids = []
    for name in names:
        tag = next((t for t in account.tags.values() if t.name == name), None)
        if tag is None:
            tag = Tag(id=account.ids.claim("tag"), name=name)
            account.tags[tag.id] = tag
        ids.append(tag.id)
    return ids


def add_element(account: Account, spec: dict[str, Any], now: int) -> CatalogElement:
    catalog_id = spec["catalog_id"]
    if catalog_id not in account.catalogs:
        raise SeedError("catalog_elements", message=f"unknown catalog {catalog_id}")
    values = _fields(account, "catalogs", spec, "catalog_elements", catalog_id)
    element = CatalogElement(
        id=account.ids.claim("element", spec.get("id")),
        catalog_id=catalog_id,
        name=spec["name"],
        created_at=spec.get("created_at", now),
        updated_at=spec.get("created_at", now),
        created_by=spec.get("created_by", 0),
    )
    apply_values(element.fields, values)
    account.elements[element.id] = element
    return element


def _owner(account: Account, spec: dict[str, Any]) -> int:
    return spec.get("responsible_user_id") or account.admin_user_id


def add_company(account: Account, spec: dict[str, Any], now: int) -> Company:
    values = _fields(account, "companies", spec, "companies")
    company = Company(
        id=account.ids.claim("company", spec.get("id")),
        name=spec["name"],
        responsible_user_id=_owner(account, spec),
        created_at=spec.get("created_at", now),
        updated_at=spec.get("created_at", now),
        created_by=spec.get("created_by", 0),
        tag_ids=_tag_ids(account, spec.get("tags", [])),
    )
    apply_values(company.fields, values)
    account.companies[company.id] = company
    return company


def add_contact(account: Account, spec: dict[str, Any], now: int) -> Contact:
    values = _fields(account, "contacts", spec, "contacts")
    company_id = spec.get("company_id")
    if company_id is not None and company_id not in account.companies:
        raise SeedError("contacts", message=f"unknown company {company_id}")
    first, last = spec.get("first_name", ""), spec.get("last_name", "")
    contact = Contact(
        id=account.ids.claim("contact", spec.get("id")),
        name=spec.get("name") or f"{first} {last}".strip(),
        first_name=first,
        last_name=last,
        responsible_user_id=_owner(account, spec),
        created_at=spec.get("created_at", now),
        updated_at=spec.get("created_at", now),
        created_by=spec.get("created_by", 0),
        company_id=company_id,
        tag_ids=_tag_ids(account, spec.get("tags", [])),
    )
    apply_values(contact.fields, values)
    account.contacts[contact.id] = contact
    return contact


def add_lead(account: Account, spec: dict[str, Any], now: int) -> int:
    """A lead through the API validator (seeding mode) plus catalog element links."""
    item = dict(spec)
    wanted_id, is_deleted = item.pop("id", None), item.pop("is_deleted", False)
    embedded = dict(item.pop("_embedded", None) or {})
    elements = embedded.pop("catalog_elements", [])
    tags = item.pop("tags", None)
    if tags:
        embedded["tags"] = [{"name": t} if isinstance(t, str) else t for t in tags]
    if embedded:
        item["_embedded"] = embedded
    author = item.get("created_by", account.admin_user_id)
    draft, errors = lead_writer.validate_item(account, item, 0, seeding=True)
    if draft is None:
        raise SeedError("leads", [errors])
    links = []
    for k, element in enumerate(elements):
        link_errors = ItemErrors(f"catalog_elements.{k}")
        ref = {
            "to_entity_id": element.get("id"),
            "to_entity_type": "catalog_elements",
            "metadata": element.get("metadata"),
        }
        link = validate_link(account, 0, ref, link_errors)
        _check("leads", link_errors)
        links.append(link)
    lead = lead_writer.create_lead(account, draft, author, now, wanted_id)
    lead.is_deleted = bool(is_deleted)
    for link in links:
        assert link is not None
        link.entity_id = lead.id
        add_link(account, link)
    return lead.id


def add_note(account: Account, spec: dict[str, Any], now: int) -> Note:
    if account.leads.get(spec["entity_id"]) is None:
        raise SeedError("notes", message=f"unknown lead {spec['entity_id']}")
    author = spec.get("created_by", account.admin_user_id)
    note = Note(
        id=account.ids.claim("note", spec.get("id")),
        entity_type="leads",
        entity_id=spec["entity_id"],
        note_type=spec.get("note_type", "common"),
        params=dict(spec.get("params") or {}),
        created_by=author,
        updated_by=author,
        responsible_user_id=spec.get("responsible_user_id", author),
        created_at=spec.get("created_at", now),
        updated_at=spec.get("created_at", now),
    )
    account.notes[note.id] = note
    return note


def apply_seed(account: Account, payload: dict[str, Any], now: int) -> dict[str, Any]:
    """Create everything in ``payload`` in dependency order; returns the new ids."""
    out: dict[str, Any] = {}
    for group in payload.get("groups", []):
        out.setdefault("groups", []).append(add_group(account, group).id)
    for role in payload.get("roles", []):
        out.setdefault("roles", []).append(add_role(account, role).id)
    for spec in payload.get("pipelines", []):
        pipeline = add_pipeline(account, spec)
        statuses = [{"id": s.id, "name": s.name, "type": s.type} for s in pipeline.statuses]
        out.setdefault("pipelines", []).append({"id": pipeline.id, "name": pipeline.name, "statuses": statuses})
    for spec in payload.get("users", []):
        out.setdefault("users", []).append(add_user(account, spec).id)
    for spec in payload.get("loss_reasons", []):
        out.setdefault("loss_reasons", []).append(add_loss_reason(account, spec, now).id)
    for spec in payload.get("catalogs", []):
        out.setdefault("catalogs", []).append(add_catalog(account, spec, now).id)
    for spec in payload.get("custom_fields", []):
        entity_type = spec.get("entity_type", "leads")
        field = add_custom_field(account, {k: v for k, v in spec.items() if k != "entity_type"}, entity_type)
        enums = [{"id": e.id, "value": e.value} for e in field.enums or []]
        out.setdefault("custom_fields", []).append({"id": field.id, "type": field.type, "enums": enums})
    for spec in payload.get("catalog_elements", []):
        out.setdefault("catalog_elements", []).append(add_element(account, spec, now).id)
    for spec in payload.get("companies", []):
        out.setdefault("companies", []).append(add_company(account, spec, now).id)
    for spec in payload.get("contacts", []):
        out.setdefault("contacts", []).append(add_contact(account, spec, now).id)
    for spec in payload.get("leads", []):
        out.setdefault("leads", []).append(add_lead(account, spec, now))
    for spec in payload.get("notes", []):
        out.setdefault("notes", []).append(add_note(account, spec, now).id)
    return out
