"""The rule a request runs, resolved by `copying.rule_resolution` and checked against the account once.

Manual copies, bulk copies, the preview, presets, DP signing and repeats all resolve and check
rules here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from dealcopy.copying.errors import RuleInvalid, RuleProblem
from dealcopy.copying.rule_resolution import lock_problems, resolve_rule
from dealcopy.copying.rules import CopyRule, parse_rule, validate_rule
from dealcopy.records.copy_delay import check_rule_delay

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from dealcopy.copying.engine import CopyEngine
    from dealcopy.storage.presets import Preset, PresetRepository


class Choice(Protocol):
    """A request that names its rule: its own `rule`, or `preset_id` plus `overrides`."""

    @property
    def rule(self) -> Mapping[str, Any] | None: ...

    @property
    def preset_id(self) -> str | None: ...

    @property
    def overrides(self) -> Mapping[str, Any] | None: ...


@dataclass(frozen=True)
class RuleBook:
    """The rules of one account: its presets, and its metadata (through the engine) to check them against."""

    account_id: int
    presets: PresetRepository
    engine: CopyEngine

    def preset(self, preset_id: str) -> Preset | None:
        return self.presets.get(self.account_id, preset_id)

    def raw(self, choice: Choice, *, missing: str = "rule-preset-not-found") -> dict[str, Any]:
        """The request's own rule or its preset's, with the overrides the preset's locks let through.

        An override of a locked field is refused (`RuleInvalid` at `overrides.<field>`); a missing
        preset is a problem at `preset_id` worded by `missing`.
        """
        if choice.preset_id is None:
            return resolve_rule(own=choice.rule, overrides=choice.overrides)
        preset = self.preset(choice.preset_id)
        if preset is None:
            raise RuleInvalid([RuleProblem("preset_id", missing, preset_id=choice.preset_id)])
        return resolve_rule(preset=preset, overrides=choice.overrides)

    def resolve(self, choice: Choice, *, missing: str = "rule-preset-not-found") -> CopyRule:
        """The rule to run: the request's own, or the preset's with the overrides applied on top."""
        return parse_rule(self.raw(choice, missing=missing))

    def runnable(self, choice: Choice, *, missing: str = "rule-preset-not-found") -> CopyRule:
        """The resolved rule, checked as a copy checks it (deleted fields/catalogs are only skipped)."""
        rule = self.resolve(choice, missing=missing)
        self.engine.check_rule(rule)
        return rule

    def strict(self, raw: Mapping[str, Any] | str, *, locked: Sequence[str] = (), shared: bool = True) -> CopyRule:
        """A rule an admin saves (preset, DP action): every reference must exist in the account.

        `locked`: the rule fields a preset locks; they must be fields of the rule, in a shared preset.
        """
        rule = parse_rule(raw)
        problems = lock_problems(locked, CopyRule.model_fields)
        if locked and not shared:
            problems.append(RuleProblem("locked", "preset-locks-shared-only"))
        if problems:
            raise RuleInvalid(problems)
        validate_rule(rule, self.engine.metadata())
        check_rule_delay(rule, self.engine.metadata())  # a delayed DP copy: its date field must exist
        return rule
