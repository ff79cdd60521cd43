"""Presets of the widget: list, read, save (checked against the account), delete."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from dealcopy.copying.rules import CopyRule
    from dealcopy.storage.presets import Preset, PresetRepository
    from dealcopy.usecases.rules import RuleBook


class PresetInput(Protocol):
    """The body of a preset save (`presets_api.PresetBody`)."""

    rule: dict[str, object]

    def to_preset(self, preset_id: str, rule: CopyRule, user_id: int) -> Preset: ...


def list_presets(account_id: int, *, presets: PresetRepository) -> list[Preset]:
    return presets.list(account_id)


def get_preset(account_id: int, preset_id: str, *, presets: PresetRepository) -> Preset | None:
    return presets.get(account_id, preset_id)


def save_preset(preset_id: str, body: PresetInput, user_id: int, *, rules: RuleBook) -> Preset:
    """Store a preset whose rule fits the account (every reference must exist)."""
    rule = rules.strict(body.rule)
    return rules.presets.put(rules.account_id, body.to_preset(preset_id, rule, user_id))


def delete_preset(account_id: int, preset_id: str, *, presets: PresetRepository) -> bool:
    """True when a preset was deleted."""
    return presets.delete(account_id, preset_id)
