"""`GET /health` through the local gateway answers exactly what `make widget` checks a backend URL against."""

from __future__ import annotations

from devstack.http import HTTP
from widget.tools.build import HEALTH


def test_the_health_route_answers_as_make_widget_expects_and_needs_no_token(stack):
    answer = HTTP.get(f"{stack.gateway_url}/health", timeout=30)
    assert answer.status_code == 200, answer.text
    assert answer.json() == HEALTH == {"service": "amo-dealcopy", "status": "ok"}
    assert HTTP.post(f"{stack.gateway_url}/health", timeout=30).status_code in (404, 405)  # GET only
