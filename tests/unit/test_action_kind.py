"""A DP action's settings are a write-back or a copy rule, whatever shape they arrive in."""

from __future__ import annotations

import pytest

from dealcopy.copying.action_kind import is_write_back


@pytest.mark.parametrize(
    "settings",
    [
        {"write_back": {"status_id": 1}},
        '{"write_back": {"field_rules": []}}',
        b'{"write_back": null}',
    ],
)
def test_settings_naming_a_write_back_are_one(settings):
    assert is_write_back(settings)


@pytest.mark.parametrize(
    "settings",
    [
        {"pipeline_id": 1, "status_id": 2},
        '{"pipeline_id": 1, "field_rules": [{"field_id": 5, "template": "write_back"}]}',
        '["write_back"]',
        '"write_back"',
        "{not json",
        "[" * 100_000,
        None,
    ],
)
def test_a_copy_rule_text_or_anything_else_is_not(settings):
    assert not is_write_back(settings)
