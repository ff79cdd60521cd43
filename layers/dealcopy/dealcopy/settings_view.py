"""What the widget needs to draw its forms: one payload built from cached account metadata."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from dealcopy.licence import licence_of
from dealcopy.messages import LANGUAGES, text

if TYPE_CHECKING:
    from dealcopy.accounts import Account
    from dealcopy.copying.metadata import AccountMetadata
    from dealcopy.licence import Licence
    from dealcopy.storage.presets import Preset
    from dealcopy.web.session import WidgetSession

# Standard lead fields the rule can carry (their switches in CopyRule), in the widget's order;
# their names are the catalog's `standard-field-<key>`.
_STANDARD = {
    "name": "name_template",
    "price": "copy_budget",
    "tags": "copy_tags",
    "contacts": "copy_contacts",
    "company": "copy_company",
}
STANDARD_FIELDS = [
    {"key": key, "rule": rule, **{f"name_{lang}": text(f"standard-field-{key}", lang) for lang in LANGUAGES}}
    for key, rule in _STANDARD.items()
]


def licence_view(licence: Licence, now: float | None = None) -> dict[str, Any]:
    return {
        "kind": licence.kind,
        "valid_until": time.strftime("%Y-%m-%d", time.gmtime(licence.valid_until)),
        "days_left": licence.days_left(now),
        "active": licence.active(now),
    }


def _iso(moment: int | None) -> str | None:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(moment)) if moment else None


def connection_view(account: Account, lang: str = "ru") -> dict[str, Any]:
    """Whether our grant in amoCRM still works: `connected`, or `disconnected` with amoCRM's reason and since when."""
    if account.is_active:
        return {"state": "connected", "refreshed_at": _iso(account.tokens_at)}
    return {
        "state": "disconnected",
        "code": "reinstall-required",
        "reason": account.disconnect_reason,
        "message": text("reinstall-required", lang),
        "since": _iso(account.disconnected_at),
    }


def account_view(account: Account, lang: str = "ru") -> dict[str, Any]:
    """The account part of the settings answer: its host, zone (the default of every time) and connection."""
    from dealcopy.copying.naming import DEFAULT_TIMEZONE

    return {
        "account": {"id": account.account_id, "subdomain": account.subdomain, "domain": account.domain},
        "timezone": account.timezone or DEFAULT_TIMEZONE,
        "connection": connection_view(account, lang),
    }


def disconnected_payload(session: WidgetSession, lang: str = "ru") -> dict[str, Any]:
    """The settings of an account amoCRM disconnected: what the widget needs to ask for a reinstall."""
    return {
        **account_view(session.account, lang),
        "user": {"id": session.caller.user_id, "is_admin": session.caller.is_admin},
        "licence": licence_view(licence_of(session.account)),
        "pipelines": [],
        "users": [],
        "lead_fields": {"standard": STANDARD_FIELDS, "custom": []},
        "catalogs": [],
        "presets": [],
    }


def settings_payload(
    session: WidgetSession,
    metadata: AccountMetadata,
    presets: list[Preset],
    licence: Licence,
    refused: Mapping[int, str] | None = None,
    lang: str = "ru",
) -> dict[str, Any]:
    from dealcopy.copying.field_rules import rule_value
    from dealcopy.copying.field_view import field_notes
    from dealcopy.copying.fields import sensitivity

    # per field: `not_writable` («не копируется», from the metadata and remembered refusals) and
    # `anonymise_reason` (what an anonymised copy drops it for), each with its words in ru/en
    notes = field_notes(metadata, refused or {})

    return {
        **account_view(session.account, lang),
        "user": {"id": session.caller.user_id, "is_admin": session.caller.is_admin},
        "licence": licence_view(licence),
        "pipelines": [
            {
                "id": p.id,
                "name": p.name,
                "is_main": p.is_main,
                # The incoming (unsorted) stage cannot receive a copy.
                "statuses": [
                    {"id": s.id, "name": s.name, "type": s.type} for s in p.statuses.values() if not s.is_incoming
                ],
            }
            for p in metadata.pipelines.values()
        ],
        "users": [{"id": u.id, "name": u.name} for u in metadata.users.values() if u.is_active],
        "lead_fields": {
            "standard": STANDARD_FIELDS,
            "custom": [
                {
                    "id": f.id,
                    "name": f.name,
                    "type": f.type,
                    "code": f.code,
                    "copyable": f.id not in notes.not_writable,
                    "sensitivity": sensitivity(f),
                    # what a field rule may do with it (`copying.field_rules`): the widget's field actions
                    "rule_value": rule_value(f),
                    "enums": [{"id": eid, "value": value} for eid, value in f.enums.items()],
                    **notes.of(f.id),
                }
                for f in metadata.fields.values()
            ],
        },
        "catalogs": [{"id": c.id, "name": c.name, "type": c.type} for c in metadata.catalogs.values()],
        "presets": [p.model_dump(mode="json") for p in sorted(presets, key=lambda p: p.name.lower())],
    }
