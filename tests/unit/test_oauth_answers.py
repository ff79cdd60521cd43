"""What `/oauth2/access_token` may answer besides a token pair: never a 500, never a pair we cannot use.

A loopback HTTP server plays amoCRM's token endpoint (a proxy page, a truncated body, odd types);
the client must treat each as a temporary failure, and keep a good pair's expiry absolute.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from dealcopy.amo.errors import AmoUnavailable
from dealcopy.amo.oauth import OAuthClient, OAuthGrantRejected


class _TokenEndpoint(BaseHTTPRequestHandler):
    answer: tuple[int, str, str] = (200, "application/json", "{}")

    def do_POST(self) -> None:  # http.server calls it by this name
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        status, kind, body = type(self).answer
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *_args: object) -> None:  # quiet
        pass


@pytest.fixture
def endpoint() -> Iterator[tuple[str, type[_TokenEndpoint]]]:
    handler = type("Endpoint", (_TokenEndpoint,), {})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler
    finally:
        server.shutdown()
        server.server_close()


def _client() -> OAuthClient:
    return OAuthClient("client", "secret", "https://example.test/oauth")


@pytest.mark.parametrize(
    "answer",
    [
        (200, "text/html", "<html>proxy</html>"),
        (200, "application/json", '{"access_token": "a"}'),
        (200, "application/json", '{"access_token": 5, "refresh_token": "r"}'),
        (200, "application/json", '{"access_token": "", "refresh_token": "r"}'),
        (200, "application/json", '{"access_token": "a", "refresh_token": "r", "expires_in": "soon"}'),
        (200, "application/json", '{"access_token": "a", "refresh_token": "r", "expires_in": true}'),
        (200, "application/json", '["a", "r"]'),
        (502, "text/html", "<html>bad gateway</html>"),
        (403, "application/json", '{"title": "Forbidden"}'),
    ],
)
def test_an_answer_without_a_usable_pair_is_temporary(endpoint, answer):
    url, handler = endpoint
    handler.answer = answer
    with pytest.raises(AmoUnavailable):
        _client().refresh(url, "refresh-token")


def test_a_definite_oauth_refusal_is_final(endpoint):
    url, handler = endpoint
    handler.answer = (400, "application/json", json.dumps({"hint": "Token has been revoked", "title": "invalid_grant"}))
    with pytest.raises(OAuthGrantRejected):
        _client().refresh(url, "refresh-token")


@pytest.mark.parametrize("expires_in", [86400, "86400", 86400.0])
def test_a_good_pair_gets_an_absolute_expiry(endpoint, expires_in):
    url, handler = endpoint
    body = {"token_type": "Bearer", "access_token": "a", "refresh_token": "r", "expires_in": expires_in}
    handler.answer = (200, "application/json", json.dumps(body))
    pair = _client().refresh(url, "refresh-token")
    assert (pair.access_token, pair.refresh_token) == ("a", "r")
    assert abs(pair.expires_at - (time.time() + 86400)) < 5
