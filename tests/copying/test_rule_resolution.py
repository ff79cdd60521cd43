"""One resolution of preset + overrides + locks for every path (manual, bulk, preview, DP signing, repeats)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from dealcopy.copying.errors import RuleInvalid
from dealcopy.copying.rule_resolution import lock_problems, locks_of, resolve_rule
from dealcopy.copying.rules import CopyRule, parse_rule

RULE = {"pipeline_id": 1, "status_id": 2, "fields": [], "catalogs": []}


@dataclass
class Preset:
    rule: dict[str, Any]
    locked: list[str] = field(default_factory=list)


ANONYMISED = Preset({**RULE, "anonymise": True, "anonymise_extra_field_ids": [5]})


def test_an_own_rule_takes_the_overrides_on_top():
    assert resolve_rule(own=RULE, overrides={"copy_tags": False}) == {**RULE, "copy_tags": False}
    assert resolve_rule(own=RULE) == RULE


def test_overrides_cannot_switch_off_a_presets_anonymisation_they_are_refused_naming_the_field():
    with pytest.raises(RuleInvalid) as caught:
        resolve_rule(preset=ANONYMISED, overrides={"anonymise": False})
    (problem,) = caught.value.problems
    assert (problem.path, problem.code) == ("overrides.anonymise", "rule-override-anonymise")
    assert "обезличивание нельзя отключить" in problem.message_ru
    assert "cannot be switched off" in problem.message_en
    assert caught.value.code == "rule_invalid"


def test_where_nobody_can_be_asked_the_presets_locks_win():
    weakened = {"anonymise": False, "anonymise_extra_field_ids": [], "copy_budget": False}
    rule = parse_rule(resolve_rule(preset=ANONYMISED, overrides=weakened, refuse=False))
    assert rule.anonymise is True and rule.anonymise_extra_field_ids == [5] and rule.copy_budget is False


def test_overrides_may_add_fields_to_anonymise_and_repeat_a_locked_value():
    raw = resolve_rule(preset=ANONYMISED, overrides={"anonymise": True, "anonymise_extra_field_ids": [7, 5]})
    assert raw["anonymise"] is True and raw["anonymise_extra_field_ids"] == [5, 7]
    assert parse_rule(resolve_rule(preset=Preset(RULE), overrides={"anonymise": True})).anonymise is True


def test_an_admins_locks_refuse_changes_of_those_fields_and_only_those():
    preset = Preset({**RULE, "copy_budget": False, "copy_tags": True}, locked=["copy_budget", "status_id"])
    assert locks_of(preset) == {"copy_budget", "status_id"}
    assert locks_of(ANONYMISED) == {"anonymise"}
    with pytest.raises(RuleInvalid) as caught:
        resolve_rule(preset=preset, overrides={"copy_budget": True, "status_id": 9, "copy_tags": False})
    assert [p.path for p in caught.value.problems] == ["overrides.copy_budget", "overrides.status_id"]
    assert "copy_budget" in caught.value.problems[0].message_en
    kept = resolve_rule(preset=preset, overrides={"copy_budget": True, "copy_tags": False}, refuse=False)
    assert (kept["copy_budget"], kept["copy_tags"]) == (False, False)
    assert resolve_rule(preset=preset, overrides={"copy_budget": False})["copy_budget"] is False


def test_a_lock_must_name_a_field_of_the_rule():
    problems = lock_problems(["anonymise", "colour"], CopyRule.model_fields)
    assert [(p.path, p.code) for p in problems] == [("locked[1]", "preset-lock-unknown")]
