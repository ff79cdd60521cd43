"""Routes, CORS for amoCRM account pages, and the clear 501s of features still to come."""

import httpx
import pytest

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
    english = httpx.request(method, f"{stack.gateway_url}{path}", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert english.status_code == 401
    assert english.headers["content-type"] == "application/problem+json"
    assert "not authenticated" in english.json()["detail"]
    russian = httpx.request(method, f"{stack.gateway_url}{path}", headers={"Accept-Language": "ru"})
    assert "не подтверждён" in russian.json()["detail"]


@pytest.mark.parametrize(("method", "path"), [("POST", "/dp/hook")])
def test_routes_not_built_yet_answer_a_clear_501(stack, method, path):
    answer = httpx.request(method, f"{stack.gateway_url}{path}", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert answer.status_code == 501
    assert answer.headers["content-type"] == "application/problem+json"
    body = answer.json()
    assert body["status"] == 501 and "not implemented" in body["detail"]
    russian = httpx.request(method, f"{stack.gateway_url}{path}", headers={"Accept-Language": "ru"})
    assert "ещё не реализована" in russian.json()["detail"]


def test_actual_widget_answer_carries_cors_for_the_account_origin(stack):
    origin = "https://shop.kommo.com"
    answer = httpx.get(f"{stack.gateway_url}/widget/settings", headers={"Origin": origin})
    assert answer.headers["access-control-allow-origin"] == origin


def test_unknown_route_is_404(stack):
    assert httpx.get(f"{stack.gateway_url}/nope").status_code == 404
