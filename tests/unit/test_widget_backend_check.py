"""`make widget BACKEND_URL=...` refuses an address that is not https or does not answer our health route.

A real HTTPS server on loopback (a self-signed certificate the test trusts through SSL_CERT_FILE)
plays the deployed API; `main` is what `make widget` runs.
"""

from __future__ import annotations

import datetime
import ipaddress
import json
import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


@pytest.fixture(scope="module")
def build():
    from widget.tools import build as widget_build  # what `make widget` runs (widget/tools/build.py)

    return widget_build


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return folder / "cert.pem", folder / "key.pem"


@contextmanager
def https_api(certificate: tuple[Path, Path], health: dict | None) -> Iterator[str]:
    """An HTTPS server whose GET /health answers `health` (None: 404, as a foreign site would)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            ours = self.path == "/health" and health is not None
            body = json.dumps(health if ours else {"message": "Not Found"}).encode()
            self.send_response(200 if ours else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def trusted(certificate, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    return certificate


def test_an_http_address_is_refused_before_anything_is_built(build, tmp_path, capsys):
    out = tmp_path / "widget.zip"
    assert build.main(["--backend-url", "http://abc.execute-api.eu-central-1.amazonaws.com", "--out", str(out)]) == 1
    assert "must be an https:// address" in capsys.readouterr().err
    assert not out.exists()


def test_an_address_nobody_answers_at_is_refused(build, tmp_path, trusted, capsys):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # free, and nobody listens once closed
    out = tmp_path / "widget.zip"
    assert build.main(["--backend-url", f"https://127.0.0.1:{port}", "--out", str(out)]) == 1
    assert f"https://127.0.0.1:{port}/health does not answer" in capsys.readouterr().err
    assert not out.exists()


def test_a_site_that_is_not_our_api_is_refused(build, tmp_path, trusted, capsys):
    for health in (None, {"status": "ok"}):  # no health route; another service's health route
        with https_api(trusted, health) as url:
            assert build.main(["--backend-url", url, "--out", str(tmp_path / "widget.zip")]) == 1
        assert "is --backend-url the stack's ApiUrl output?" in capsys.readouterr().err
    assert not (tmp_path / "widget.zip").exists()


def test_a_certificate_python_does_not_trust_is_refused(build, certificate, capsys):
    with https_api(certificate, {"service": "amo-dealcopy", "status": "ok"}) as url:
        (problem,) = build.check_backend(url)
    assert "CERTIFICATE_VERIFY_FAILED" in problem


def test_our_api_answering_its_health_route_builds_the_archive(build, tmp_path, trusted):
    out = tmp_path / "widget.zip"
    with https_api(trusted, {"service": "amo-dealcopy", "status": "ok"}) as url:
        assert build.main(["--backend-url", url, "--out", str(out)]) == 0
    assert out.exists()
