"""The rule a request runs: its own, or a preset's with overrides; checked against the account once.

Manual copies, bulk copies, presets and DP signing all resolve and check rules here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dealcopy.copying.errors import RuleInvalid, RuleProblem
from dealcopy.copying.rules import CopyRule, parse_rule, validate_rule

if TYPE_CHECKING:
    from collections.abc import Mapping

    from dealcopy.copying.engine import CopyEngine
    from dealcopy.storage.presets import Preset, PresetRepository
    from dealcopy.usecases.requests import RuleChoice


@dataclass(frozen=True)
class RuleBook:
    """The rules of one account: its presets, and its metadata (through the engine) to check them against."""

    account_id: int
    presets: PresetRepository
    engine: CopyEngine

    def preset(self, preset_id: str) -> Preset | None:
        return self.presets.get(self.account_id, preset_id)

    def resolve(self, choice: RuleChoice) -> CopyRule:
        """The rule to run: the request's own, or the preset's with the overrides applied on top."""
        if choice.rule is not None:
            return parse_rule({**choice.rule, **choice.overrides})
        assert choice.preset_id is not None
        preset = self.preset(choice.preset_id)
        if preset is None:
            pid = choice.preset_id
            raise RuleInvalid([RuleProblem("preset_id", f"шаблон «{pid}» не найден", f"preset '{pid}' not found")])
        return parse_rule({**preset.rule, **choice.overrides})

    def runnable(self, choice: RuleChoice) -> CopyRule:
        """The resolved rule, checked as a copy checks it (deleted fields/catalogs are only skipped)."""
        rule = self.resolve(choice)
        self.engine.check_rule(rule)
        return rule

    def strict(self, raw: Mapping[str, Any] | str) -> CopyRule:
        """A rule an admin saves (preset, DP action): every reference must exist in the account."""
        rule = parse_rule(raw)
        validate_rule(rule, self.engine.metadata())
        return rule
