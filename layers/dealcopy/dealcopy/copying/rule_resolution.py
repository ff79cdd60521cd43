"""The rule a copy runs: its own, or a preset's with overrides on top, within the preset's locks.

Every path resolves a rule here: a manual copy, a bulk copy, the preview, DP signing, setting a
repeat up and each of its fires. One function, so a preset cannot mean one thing in a manual
copy and another in a repeat.

A preset locks the rule fields an admin listed in its `locked`; an anonymised preset also locks
`anonymise` itself: an override may add fields to anonymise, never switch it off or drop the
preset's own. Where a person asks (a copy, a preview, a repeat being set up) an override of a
locked field is refused, naming the field; where a stored request runs later (a repeat's fire)
the preset's locks win silently, since the preset may have been locked after the repeat was set
up and nobody is there to answer.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any, Protocol

from dealcopy.copying.errors import RuleInvalid, RuleProblem

ANONYMISE = "anonymise"
ANONYMISE_EXTRA = "anonymise_extra_field_ids"


class PresetRule(Protocol):
    """What a stored preset gives the resolution: its rule and the fields an admin locked."""

    @property
    def rule(self) -> Mapping[str, Any]: ...

    @property
    def locked(self) -> Sequence[str]: ...


def locks_of(preset: PresetRule) -> frozenset[str]:
    """The rule fields no override may change: the admin's list, and `anonymise` of an anonymised preset."""
    return frozenset(preset.locked) | ({ANONYMISE} if preset.rule.get(ANONYMISE) is True else set())


def resolve_rule(
    *,
    own: Mapping[str, Any] | None = None,
    preset: PresetRule | None = None,
    overrides: Mapping[str, Any] | None = None,
    refuse: bool = True,
) -> dict[str, Any]:
    """The raw rule to parse: `own` (with overrides), or `preset`'s with the overrides it lets through.

    `refuse`: an override of a locked field raises `RuleInvalid` (one problem per field, at
    `overrides.<field>`); otherwise the preset's value is kept.
    """
    overrides = dict(overrides or {})
    if preset is None:
        return {**(own or {}), **overrides}
    base = dict(preset.rule)
    locks = locks_of(preset)
    changed = [name for name in sorted(locks & overrides.keys()) if overrides[name] != base.get(name)]
    if changed and refuse:
        raise RuleInvalid([_locked_problem(name) for name in changed])
    merged = {**base, **{k: v for k, v in overrides.items() if k not in changed}}
    if base.get(ANONYMISE) is True and ANONYMISE_EXTRA not in locks:
        merged[ANONYMISE_EXTRA] = _with_own(base.get(ANONYMISE_EXTRA) or [], overrides.get(ANONYMISE_EXTRA, []))
    return merged


def _with_own(own: list[Any], extra: Any) -> Any:
    """The preset's fields to anonymise plus those the override adds (a malformed list is left for the parser)."""
    return [*own, *(x for x in extra if x not in own)] if isinstance(extra, list) else extra


def _locked_problem(name: str) -> RuleProblem:
    code = "rule-override-anonymise" if name == ANONYMISE else "rule-override-locked"
    return RuleProblem(f"overrides.{name}", code, field=name)


def lock_problems(locked: Collection[str], rule_fields: Collection[str]) -> list[RuleProblem]:
    """What is wrong with a preset's `locked` list: each name must be a field of the rule."""
    return [
        RuleProblem(f"locked[{i}]", "preset-lock-unknown", field=str(name))
        for i, name in enumerate(locked)
        if name not in rule_fields
    ]
