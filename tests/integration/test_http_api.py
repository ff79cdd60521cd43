"""Routes, CORS for amoCRM account pages, and clear problem+json refusals."""

import httpx
import pytest

from devstack.http import HTTP

WIDGET_ROUTES = [("GET", "/widget/settings"), ("POST", "/copies")]


@pytest.mark.parametrize(("method", "path"), WIDGET_ROUTES)
def test_preflight_from_an_account_page_allows_the_one_time_token_header(stack, method, path):
    origin = "https://demo.amocrm.ru"
    answer = httpx.options(
        f"{stack.gateway_url}{path}",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "x-auth-token",
        },
    )
    assert answer.status_code in (200, 204)
    assert answer.headers["access-control-allow-origin"] == origin
    assert "x-auth-token" in answer.headers["access-control-allow-headers"].lower()
    assert method in answer.headers["access-control-allow-methods"]


@pytest.mark.parametrize("origin", ["https://evil.example.com", "https://demo.amocrm.ru.evil.com"])
def test_other_origins_get_no_cors_headers(stack, origin):
    answer = httpx.options(
        f"{stack.gateway_url}/widget/settings",
        headers={"Origin": origin, "Access-Control-Request-Method": "GET"},
    )
    assert "access-control-allow-origin" not in answer.headers


@pytest.mark.parametrize(("method", "path"), WIDGET_ROUTES)
def test_widget_routes_without_a_token_are_401_in_the_callers_language(stack, method, path):
    english = HTTP.request(method, f"{stack.gateway_url}{path}", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert english.status_code == 401
    assert english.headers["content-type"] == "application/problem+json"
    assert "not authenticated" in english.json()["detail"]
    russian = HTTP.request(method, f"{stack.gateway_url}{path}", headers={"Accept-Language": "ru"})
    assert "не подтверждён" in russian.json()["detail"]


def test_an_empty_dp_hook_is_a_400_in_the_callers_language(stack):
    """The DP hook is built (tests/dp cover it); an empty one is refused with a reason, nothing queued."""
    answer = HTTP.post(f"{stack.gateway_url}/dp/hook", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert answer.status_code == 400
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["code"] == "empty-body" and "empty" in answer.json()["detail"]
    russian = HTTP.post(f"{stack.gateway_url}/dp/hook", headers={"Accept-Language": "ru"})
    assert russian.json()["detail"] == "Пустой запрос."


def test_actual_widget_answer_carries_cors_for_the_account_origin(stack):
    origin = "https://shop.kommo.com"
    answer = HTTP.get(f"{stack.gateway_url}/widget/settings", headers={"Origin": origin})
    assert answer.headers["access-control-allow-origin"] == origin


def test_unknown_route_is_404(stack):
    assert HTTP.get(f"{stack.gateway_url}/nope").status_code == 404
