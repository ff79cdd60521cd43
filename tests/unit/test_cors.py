import pytest

from dealcopy.web.cors import PatternCORSConfig

PATTERNS = ["https://*.amocrm.ru", "https://*.kommo.com"]


@pytest.mark.parametrize(
    "origin",
    [
        "https://demo.amocrm.ru",
        "https://my-company.kommo.com",
        "https://a.b.amocrm.ru",
        "HTTPS://DEMO.AMOCRM.RU",
    ],
)
def test_account_origins_are_allowed(origin):
    headers = PatternCORSConfig(PATTERNS, allow_headers=["X-Auth-Token"]).to_dict(origin)
    assert headers["Access-Control-Allow-Origin"] == origin
    assert "X-Auth-Token" in headers["Access-Control-Allow-Headers"]


@pytest.mark.parametrize(
    "origin",
    [
        "https://amocrm.ru",
        "http://demo.amocrm.ru",
        "https://demo.amocrm.ru.evil.com",
        "https://evil.com",
        "https://evil.com/.amocrm.ru",
        "https://demo.amocrm.rux",
        "",
        None,
    ],
)
def test_other_origins_get_no_cors_headers(origin):
    assert PatternCORSConfig(PATTERNS).to_dict(origin) == {}
