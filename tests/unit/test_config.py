"""Settings come from environment strings: each type is read as operators write it, a bad value is named."""

import pytest

from dealcopy.config import Settings


def test_defaults_hold_without_any_variable():
    cfg = Settings.from_env({})
    assert cfg.amo_rate_limit == 7
    assert cfg.allowed_origins == ["https://*.amocrm.ru", "https://*.amocrm.com", "https://*.kommo.com"]
    assert cfg.test_seams is False


def test_numbers_flags_and_comma_lists_are_read_from_their_upper_case_variables():
    cfg = Settings.from_env(
        {
            "AMO_RATE_LIMIT": " 5 ",
            "AMO_BUDGET_MARGIN": "0.25",
            "TEST_SEAMS": "true",
            "API_DOMAINS": "amocrm.ru, kommo.com,,",
            "JOBS_TABLE": "prod-jobs",
            "amo_rate_window": "9",  # lower case is not read
        }
    )
    assert (cfg.amo_rate_limit, cfg.amo_budget_margin, cfg.test_seams) == (5, 0.25, True)
    assert cfg.api_domains == ["amocrm.ru", "kommo.com"]
    assert cfg.jobs_table == "prod-jobs"
    assert cfg.amo_rate_window == 1.0


@pytest.mark.parametrize(
    ("name", "value"), [("AMO_RATE_LIMIT", "seven"), ("AMO_TIMEOUT", "1,5"), ("TEST_SEAMS", "maybe")]
)
def test_a_bad_value_names_its_variable_and_not_its_value(name, value):
    with pytest.raises(ValueError, match=name) as refused:
        Settings.from_env({name: value})
    assert value not in str(refused.value)


def test_settings_are_frozen():
    cfg = Settings.from_env({})
    with pytest.raises(AttributeError):
        cfg.jobs_table = "other"  # type: ignore[misc]
