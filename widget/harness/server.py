"""The widget harness: a local page that hosts the widget the way amoCRM does, against the local stack.

The page (index.html + host.js) provides what amoCRM's own pages give a widget: RequireJS,
jQuery, Twig (`self.render`), the AMOCRM globals, `self.get_settings()`, `self.i18n()`,
`self.render_template()`, `self.list_selected()`, the Digital Pipeline action dialog with the
manifest's inputs, the settings modal, and `self.$authorizedAjax`. This server is the part of
amoCRM that knows the integration's secret: it mints the one-time token for each call
(POST /harness/api/token); the page then calls the real local gateway across origins, so CORS
is exercised as on a real account. Nothing of the backend is stubbed.

Routes:
  /harness/...              index.html, host.js, host.css
  /vendor/{jquery,require,twig}.js   from widget/harness/node_modules (npm ci)
  /widget/...               the widget: a source folder (script.js bundled from src/*.js on each
                            request, so an edit shows on reload), or the built dist/widget.zip
  /harness/api/config       gateway URL, widget code, the default account (make dev-widget)
  /harness/api/token        POST {account_id, subdomain, user_id, is_admin} -> {token}
  /harness/api/account/ID   the emulator's view of an account (leads, pipelines, users) for the page
  /harness/api/dp/ID        GET: the account's DP actions; POST /harness/api/dp saves one (amo_side)
  /harness/api/move         POST {account_id, lead_id, pipeline_id, status_id}: move a deal, firing DP actions
  /leads/detail/ID          opens the lead card page (links the widget shows point here locally)

    python -m widget.harness.server            # make dev-widget: starts the local stack too
"""

from __future__ import annotations

import argparse
import json
import mimetypes
import os
import signal
import sys
import threading
import zipfile
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from devstack.client import ADMIN_USER_ID, StackInfo, install_via_oauth, widget_token
from devstack.http import HTTP
from devstack.process import stack_process
from widget.harness import amo_side
from widget.tools.jsbundle import BundleError, bundle

HARNESS = Path(__file__).resolve().parent
WIDGET = HARNESS.parent
ROOT = WIDGET.parent
WIDGET_CODE = "dealcopy"
VENDOR = {
    "jquery.js": "jquery/dist/jquery.min.js",
    "require.js": "requirejs/require.js",
    "twig.js": "twig/twig.min.js",
}
PAGE_FILES = {"index.html", "host.js", "host.css"}
PACKAGE_TOP = {"manifest.json", "script.js", "style.css"}
PACKAGE_DIRS = {"i18n", "images", "templates"}


@dataclass
class HarnessConfig:
    stack: StackInfo
    widget: Path = WIDGET  # a widget folder, or a built widget.zip
    node_modules: Path = HARNESS / "node_modules"
    default_account: dict[str, Any] = field(default_factory=dict)  # {id, subdomain} for the start page


class WidgetFiles:
    """The widget's files from its folder or from the archive amoCRM would get."""

    def __init__(self, source: Path) -> None:
        self.source = source
        self._zip = zipfile.ZipFile(source) if source.is_file() else None
        self._lock = threading.Lock()

    def read(self, name: str) -> bytes | None:
        parts = name.split("/")
        if ".." in parts or not (name in PACKAGE_TOP or (len(parts) == 2 and parts[0] in PACKAGE_DIRS)):
            return None
        if self._zip is not None:
            with self._lock:
                try:
                    return self._zip.read(name)
                except KeyError:
                    return None
        if name == "script.js":
            try:
                return bundle(self.source).encode("utf-8")
            except BundleError as err:  # shown in the page's console, like a broken upload would be
                return f"throw new Error({json.dumps('widget/src: ' + '; '.join(err.problems))});".encode()
        path = self.source / name
        return path.read_bytes() if path.is_file() else None


class HarnessServer:
    def __init__(self, config: HarnessConfig, host: str = "127.0.0.1", port: int = 0) -> None:
        self.config = config
        self.files = WidgetFiles(config.widget)
        handler = type("BoundHandler", (_Handler,), {"harness": self})
        self.httpd = ThreadingHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True
        self.host, self.port = self.httpd.server_address[:2]
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> HarnessServer:
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="widget-harness", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> HarnessServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- what the routes answer
    def token(self, body: dict[str, Any]) -> dict[str, Any]:
        user_id = int(body.get("user_id") or ADMIN_USER_ID)
        account = {"id": int(body["account_id"]), "subdomain": str(body["subdomain"])}
        is_admin = bool(body.get("is_admin", user_id == ADMIN_USER_ID))
        return {"token": widget_token(self.config.stack, account, user_id, is_admin=is_admin)}

    def account_view(self, account_id: int) -> dict[str, Any]:
        answer = HTTP.get(f"{self.config.stack.emulator_url}/_emulator/accounts/{account_id}/state", timeout=15)
        answer.raise_for_status()
        state = answer.json()
        return {
            "account": {k: state["account"][k] for k in ("id", "subdomain", "name", "domain")},
            "pipelines": [
                {
                    "id": p["id"],
                    "name": p["name"],
                    "statuses": [{"id": s["id"], "name": s["name"]} for s in p["_embedded"]["statuses"]],
                }
                for p in state["pipelines"]
            ],
            "users": [{"id": u["id"], "name": u["name"]} for u in state["users"]],
            "leads": [
                {
                    k: lead.get(k)
                    for k in ("id", "name", "price", "pipeline_id", "status_id", "responsible_user_id", "created_at")
                }
                for lead in state["leads"]
                if not lead.get("is_deleted")
            ],
        }


class _Handler(BaseHTTPRequestHandler):
    harness: HarnessServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        if os.environ.get("HARNESS_LOG"):
            super().log_message(format, *args)

    def _send(self, status: int, body: bytes, content_type: str, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, data: Any, status: int = 200) -> None:
        self._send(status, json.dumps(data, ensure_ascii=False).encode(), "application/json; charset=utf-8")

    def _file(self, name: str, data: bytes | None) -> None:
        if data is None:
            self._send(404, b"not found", "text/plain")
            return
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
            kind += "; charset=utf-8"
        self._send(200, data, kind)

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        path = parts.path
        config = self.harness.config
        if path in ("/", "/harness", "/harness/"):
            account = config.default_account
            query = f"?area=lcard&lang=ru&lead=24002811&account={account.get('id', '')}"
            query += f"&subdomain={account.get('subdomain', '')}&user={ADMIN_USER_ID}"
            self._send(302, b"", "text/plain", {"Location": "/harness/index.html" + query})
        elif path.startswith("/harness/api/config"):
            self._json(
                {
                    "gateway_url": config.stack.gateway_url,
                    "widget_code": WIDGET_CODE,
                    "default_account": config.default_account,
                    "admin_user_id": ADMIN_USER_ID,
                }
            )
        elif path.startswith("/harness/api/dp/"):
            try:
                self._json(amo_side.dp_actions(config.stack.emulator_url, int(path.rsplit("/", 1)[1])))
            except (ValueError, httpx.HTTPError) as err:
                self._json({"error": str(err)}, 404)
        elif path.startswith("/harness/api/account/"):
            try:
                self._json(self.harness.account_view(int(path.rsplit("/", 1)[1])))
            except (ValueError, httpx.HTTPError) as err:
                self._json({"error": str(err)}, 404)
        elif path.startswith("/harness/"):
            name = path[len("/harness/") :]
            self._file(name, (HARNESS / name).read_bytes() if name in PAGE_FILES else None)
        elif path.startswith("/vendor/"):
            name = path[len("/vendor/") :]
            target = config.node_modules / VENDOR[name] if name in VENDOR else None
            self._file(name, target.read_bytes() if target and target.is_file() else None)
        elif path.startswith("/widget/"):
            name = path[len("/widget/") :]
            self._file(name, self.harness.files.read(name))
        elif path.startswith("/leads/detail/"):
            query = parse_qs(parts.query)
            lead = path.rsplit("/", 1)[1]
            account = config.default_account
            target = f"/harness/index.html?area=lcard&lang={query.get('lang', ['ru'])[0]}&lead={lead}"
            target += f"&account={account.get('id', '')}&subdomain={account.get('subdomain', '')}&user={ADMIN_USER_ID}"
            self._send(302, b"", "text/plain", {"Location": target})
        else:
            self._send(404, b"not found", "text/plain")

    def _amo(self, action: Any) -> None:
        """An amoCRM-side action through the emulator; a refusal is shown to the page, not raised."""
        try:
            self._json(action())
        except (KeyError, ValueError, TypeError, httpx.HTTPError) as err:
            self._json({"error": str(err)}, 400)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            self._json({"error": "JSON expected"}, 400)
            return
        stack = self.harness.config.stack
        if self.path.startswith("/harness/api/token"):
            try:
                self._json(self.harness.token(body))
            except (KeyError, ValueError, TypeError) as err:
                self._json({"error": f"account_id and subdomain are required ({err})"}, 400)
        elif self.path.startswith("/harness/api/dp"):
            self._amo(lambda: amo_side.save_dp_action(stack.emulator_url, stack.gateway_url, body))
        elif self.path.startswith("/harness/api/move"):
            self._amo(lambda: amo_side.move_lead(stack.emulator_url, body))
        else:
            self._send(HTTPStatus.NOT_FOUND, b"not found", "text/plain")


# --- make dev-widget: the local stack, an installed demo account and the harness in one command


def install_demo_account(stack: StackInfo, subdomain: str) -> dict[str, Any]:
    """A fresh emulator demo account with the widget installed through the real OAuth callback."""
    from amo_emulator.control import EmulatorControl  # importable once devstack has set up sys.path

    with EmulatorControl(stack.emulator_url, timeout=30) as control:
        account = control.create_account(subdomain, demo=True)
        (answer,) = install_via_oauth(stack, control, account)
    answer.raise_for_status()
    return {"id": account["id"], "subdomain": account["subdomain"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the widget harness against a fresh local stack.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8810)
    parser.add_argument("--widget", default=str(WIDGET), help="widget folder or built widget.zip")
    args = parser.parse_args(argv)
    origin = f"http://{args.host}:{args.port}"
    with stack_process("--allow-origin", origin, timeout=90) as info:
        stack = StackInfo.from_ready(info)
        account = install_demo_account(stack, "demo")
        config = HarnessConfig(stack=stack, widget=Path(args.widget), default_account=account)
        with HarnessServer(config, args.host, args.port) as server:
            base = f"{server.url}/harness/index.html?account={account['id']}&subdomain={account['subdomain']}"
            base += f"&user={ADMIN_USER_ID}"
            print(f"Widget harness on {server.url} (gateway {stack.gateway_url}, emulator {stack.emulator_url})")
            print(f"  lead card      {base}&area=lcard&lead=24002811&lang=ru")
            print(f"  lead list      {base}&area=llist&lang=ru")
            print(f"  DP action      {base}&area=dp&lang=ru")
            print(f"  settings       {base}&area=settings&lang=ru")
            print("  (lang=en for English)   Ctrl+C stops", flush=True)
            stop = threading.Event()
            for sig in (signal.SIGINT, signal.SIGTERM):
                signal.signal(sig, lambda *_: stop.set())
            stop.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
