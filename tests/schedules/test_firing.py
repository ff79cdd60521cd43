"""Pure parts of the worker's side of schedules: name templates of occurrences, a rule's delay."""

from __future__ import annotations

import pytest

from dealcopy.copying.errors import RuleInvalid
from dealcopy.copying.rules import canonical_rule, parse_rule
from dealcopy.records.copy_delay import delay_of, rule_delay
from dealcopy.schedules.firing import fill_template


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("Продление №{n} от {date}", "Продление №3 от 30.04.2027"),
        ("{name} ({n})", "{name} (3)"),
        ("{{literal}} {n}", "{{literal}} 3"),
        ("no placeholders", "no placeholders"),
    ],
)
def test_occurrence_values_fill_only_their_placeholders(template, expected):
    assert fill_template(template, {"n": 3, "date": "30.04.2027"}) == expected
    assert fill_template(expected, {}) == expected


def test_a_rule_without_delay_keeps_its_canonical_text_and_a_delay_is_read_back():
    plain = parse_rule({"pipeline_id": 1, "status_id": 2})
    assert "delay" not in canonical_rule(plain)
    delayed = parse_rule({"pipeline_id": 1, "status_id": 2, "delay": {"after_event": {"days": 3}}})
    assert delay_of(canonical_rule(delayed)).after_event.days == 3
    assert delay_of(canonical_rule(plain)) is None


def test_a_bad_delay_names_its_path_under_delay():
    rule = parse_rule({"pipeline_id": 1, "status_id": 2, "delay": {"field": {"field_id": 0, "at": "25:00"}}})
    with pytest.raises(RuleInvalid) as caught:
        rule_delay(rule)
    assert {p.path for p in caught.value.problems} >= {"delay.field.field_id", "delay.field.at"}
