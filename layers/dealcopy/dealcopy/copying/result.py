"""What a copy carried and what it left out, in terms the user understands (Russian and English).

Pydantic models, so plans and results survive a checkpoint (`model_dump(mode="json")`).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, computed_field

from dealcopy.messages import text

# Skips that are real failures: something the user asked to carry did not arrive. Everything
# else was chosen (not_selected, anonymised), is empty or gone (empty, field_deleted,
# catalog_deleted), or can never be written in this account (not_writable).
FAILURE_CODES = frozenset({"not_copyable", "rejected_by_amocrm", "links_failed", "notes_failed"})


class Skip(BaseModel):
    """One thing not copied. `code` is stable for programs; the reasons are for people.

    Codes: not_selected, anonymised, field_deleted, catalog_deleted, empty, not_writable,
    not_copyable, rejected_by_amocrm, links_failed, notes_failed. `reason` is the message
    catalog's code that says why in more detail (e.g. `anonymised-requisites`), when there is one.
    """

    model_config = ConfigDict(frozen=True)

    what: str  # field | contacts | company | budget | tags | catalog_element | catalog | links | notes
    code: str
    reason_ru: str
    reason_en: str
    ref: int | None = None  # field id, element id, catalog id...
    name: str | None = None
    reason: str | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def failure(self) -> bool:
        """Whether this belongs in «Не перенесено» (a real failure, not a choice or a limit of amoCRM)."""
        return self.code in FAILURE_CODES


def worded(what: str, code: str, reason: str, ref: int | None = None, name: str | None = None, **data: Any) -> Skip:
    """A skip worded by the message catalog: `reason` is its code, `data` fills its placeholders."""
    return Skip(
        what=what,
        code=code,
        reason=reason,
        reason_ru=text(reason, "ru", **data),
        reason_en=text(reason, "en", **data),
        ref=ref,
        name=name,
    )


class AnonymisedField(BaseModel):
    """A field an anonymised copy masked (`masked`: values written with placeholders) or left out (`removed`).

    `kinds` say what was found: phone, email, link, iban, card, account, passport, snils, ogrn,
    inn, kpp, bik; for a field removed by its type, code or name, the reason's short name
    (requisites, personal, location, map-link, file, money, tracking, linked-record, excluded).
    """

    model_config = ConfigDict(frozen=True)

    field_id: int
    field: str  # the field's name, as the manager knows it
    action: str  # masked | removed
    kinds: list[str] = []


class CopiedField(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    name: str
    type: str


class CopiedSummary(BaseModel):
    model_config = ConfigDict(frozen=True)

    fields: list[CopiedField] = []
    contacts: int = 0
    main_contact_id: int | None = None
    company_id: int | None = None
    catalog_elements: int = 0
    budget: int | float | None = None  # amoCRM budgets may be fractional
    tags: list[str] = []
    source_link: bool = False


class CopyResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    source_id: int
    lead_id: int
    url: str
    copied: CopiedSummary
    skipped: list[Skip] = []
    links_written: bool = True
    notes_written: bool = True
    warnings: list[str] = []  # message catalog codes, e.g. anonymised-products-carry-prices
    name: str | None = None  # the copy's name as created, to tell copies apart
    stage: str | None = None  # «Pipeline → Stage» of the copy, by name
    anonymised: list[AnonymisedField] = []  # an anonymised copy: what it masked or removed, by field name

    @property
    def failures(self) -> list[Skip]:
        return [s for s in self.skipped if s.failure]
