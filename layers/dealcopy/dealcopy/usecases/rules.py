"""The rule a request runs: its own, or a preset's with overrides; checked against the account once.

Manual copies, bulk copies, presets and DP signing all resolve and check rules here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dealcopy.copying.errors import RuleInvalid, RuleProblem
from dealcopy.copying.rules import CopyRule, parse_rule, validate_rule
from dealcopy.records.copy_delay import check_rule_delay

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
            raise RuleInvalid([RuleProblem("preset_id", "rule-preset-not-found", preset_id=pid)])
        return parse_rule(overlaid(preset.rule, choice.overrides))

    def runnable(self, choice: RuleChoice) -> CopyRule:
        """The resolved rule, checked as a copy checks it (deleted fields/catalogs are only skipped)."""
        rule = self.resolve(choice)
        self.engine.check_rule(rule)
        return rule

    def strict(self, raw: Mapping[str, Any] | str) -> CopyRule:
        """A rule an admin saves (preset, DP action): every reference must exist in the account."""
        rule = parse_rule(raw)
        validate_rule(rule, self.engine.metadata())
        check_rule_delay(rule, self.engine.metadata())  # a delayed DP copy: its date field must exist
        return rule


def overlaid(base: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """The preset's rule with the overrides on top; an anonymised preset stays anonymised.

    `overrides` may add fields to anonymise, never turn `anonymise` off or drop the preset's own.
    """
    merged = {**base, **overrides}
    if base.get("anonymise") is True:
        merged["anonymise"] = True
        own = base.get("anonymise_extra_field_ids") or []
        extra = overrides.get("anonymise_extra_field_ids", [])
        merged["anonymise_extra_field_ids"] = (
            [*own, *(x for x in extra if x not in own)] if isinstance(extra, list) else extra
        )
    return merged
