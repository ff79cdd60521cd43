"""Presets of the widget: list, read, save (checked against the account), delete.

Who may change what: a shared preset (no owner) is written and deleted by admins only; any
user may keep personal presets (`owner_user_id` = that user), which only they (and, to delete,
an admin) can change. A manager's save makes a personal preset; an admin's is shared unless
the body asks for a personal one. Others' personal presets are not listed. Only an admin locks
rule fields (`locked`), and only in a shared preset: overrides of a copy, a bulk copy or a repeat
may then not change them (`copying.rule_resolution`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from dealcopy.errors import DomainError

if TYPE_CHECKING:
    from dealcopy.auth.one_time_token import WidgetCaller
    from dealcopy.copying.rules import CopyRule
    from dealcopy.storage.presets import Preset, PresetRepository
    from dealcopy.usecases.rules import RuleBook


class PresetForbidden(DomainError):
    """The caller may not change this preset (a shared one: admins only; a personal one: its owner)."""

    code = "preset-forbidden"


class PresetInput(Protocol):
    """The body of a preset save (`presets_api.PresetBody`)."""

    rule: dict[str, object]
    personal: bool
    locked: list[str]

    def to_preset(self, preset_id: str, rule: CopyRule, user_id: int, owner: int | None) -> Preset: ...


def list_presets(account_id: int, user_id: int, *, presets: PresetRepository) -> list[Preset]:
    """The shared presets and the caller's own."""
    return [p for p in presets.list(account_id) if p.visible_to(user_id)]


def get_preset(account_id: int, preset_id: str, *, presets: PresetRepository) -> Preset | None:
    return presets.get(account_id, preset_id)


def save_preset(preset_id: str, body: PresetInput, caller: WidgetCaller, *, rules: RuleBook) -> Preset:
    """Store a preset whose rule fits the account (every reference must exist), if the caller may write it."""
    existing = rules.preset(preset_id)
    if existing is not None:
        owner = existing.owner_user_id
        if caller.user_id != owner and (owner is not None or not caller.is_admin):
            raise PresetForbidden()
    else:
        owner = caller.user_id if body.personal or not caller.is_admin else None
    if body.locked and not caller.is_admin:
        raise PresetForbidden()
    rule = rules.strict(body.rule, locked=body.locked, shared=owner is None)
    return rules.presets.put(rules.account_id, body.to_preset(preset_id, rule, caller.user_id, owner))


def delete_preset(account_id: int, preset_id: str, caller: WidgetCaller, *, presets: PresetRepository) -> bool:
    """True when a preset was deleted; a shared preset only by an admin, a personal one by its owner or an admin."""
    existing = presets.get(account_id, preset_id)
    if existing is None:
        return False
    if not (caller.is_admin or existing.owner_user_id == caller.user_id):
        raise PresetForbidden()
    return presets.delete(account_id, preset_id)
