"""The source lead as the copy needs it, parsed from `GET /api/v4/leads[/{id}]?with=contacts,catalog_elements`."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from dealcopy.copying.rights import LeadRef

SOURCE_WITH = "contacts,catalog_elements"  # companies and tags are embedded by default


class SourceTag(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int | None = None
    name: str = ""


class SourceContact(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    is_main: bool = False


class SourceElement(BaseModel):
    """A linked catalog element with the link's metadata."""

    model_config = ConfigDict(frozen=True)

    id: int
    catalog_id: int | None = None
    quantity: float | int = 1
    price_id: int | None = None


class SourceLead(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    name: str = ""
    price: int | float | None = None  # fractional budgets exist (facts: the SDK sends floats): never truncated
    pipeline_id: int
    status_id: int
    responsible_user_id: int | None = None
    group_id: int | None = None
    created_at: int | None = None
    custom_fields_values: list[dict[str, Any]] = []
    tags: list[SourceTag] = []
    contacts: list[SourceContact] = []
    company_ids: list[int] = []
    catalog_elements: list[SourceElement] = []

    @property
    def ref(self) -> LeadRef:
        return LeadRef(self.id, self.pipeline_id, self.status_id, self.responsible_user_id, self.group_id)

    @classmethod
    def from_api(cls, body: dict[str, Any]) -> SourceLead:
        embedded = body.get("_embedded") or {}
        return cls(
            id=body["id"],
            name=body.get("name") or "",
            price=budget(body.get("price")),
            pipeline_id=body["pipeline_id"],
            status_id=body["status_id"],
            responsible_user_id=body.get("responsible_user_id"),
            group_id=body.get("group_id") or None,
            created_at=body.get("created_at"),
            custom_fields_values=[v for v in body.get("custom_fields_values") or [] if isinstance(v, dict)],
            tags=[SourceTag(id=t.get("id"), name=t.get("name") or "") for t in embedded.get("tags") or []],
            contacts=[_contact(c) for c in embedded.get("contacts") or []],
            company_ids=[int(c["id"]) for c in embedded.get("companies") or [] if c.get("id") is not None],
            catalog_elements=[_element(e) for e in embedded.get("catalog_elements") or []],
        )


def budget(raw: Any) -> int | float | None:
    """The lead's budget as read: whole numbers stay ints, fractions stay fractions (1500.5)."""
    if raw is None or raw == "" or isinstance(raw, bool):
        return None
    try:
        number = float(raw)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else number


def _contact(raw: dict[str, Any]) -> SourceContact:
    # Leads answer `is_main` (C); links answer `metadata.main_contact` - accepted too (U).
    meta = raw.get("metadata") or {}
    return SourceContact(id=raw["id"], is_main=bool(raw.get("is_main", meta.get("main_contact", False))))


def _element(raw: dict[str, Any]) -> SourceElement:
    # Link data lives in `metadata` (C); a top-level catalog_id/quantity is accepted as well (U).
    meta = raw.get("metadata") or {}
    quantity = meta.get("quantity", raw.get("quantity"))
    return SourceElement(
        id=raw["id"],
        catalog_id=meta.get("catalog_id", raw.get("catalog_id")),
        quantity=quantity if quantity is not None else 1,
        price_id=meta.get("price_id"),
    )
