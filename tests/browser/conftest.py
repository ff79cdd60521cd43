"""Browser tests: the built widget archive in Debian's chromium (Playwright), hosted by the harness page.

One local stack (gateway, emulator, moto) for the session, started with the harness origin
allowed on widget routes; one harness server serving dist-like widget.zip built for the run;
one chromium. Each test installs a fresh emulator demo account through the real OAuth callback.
Nothing of the backend is stubbed: the page mints one-time tokens through the harness server
and calls the gateway across origins, like a widget on an amoCRM account page.

Select them with `-m browser`; `make chromium` installs the browser (Debian package).
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import socket
import time
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest

from amo_emulator.control import EmulatorControl
from devstack.client import StackInfo
from devstack.process import stack_process
from tests.support.rate import STACK_ARGS
from widget.harness.server import HarnessConfig, HarnessServer, install_demo_account

ROOT = Path(__file__).resolve().parents[2]
WIDGET = ROOT / "widget"
# Debian's headless shell is chromium's engine without the desktop browser around it: the same pages,
# at less than half the processor time of the full browser in headless mode (docs/testing.md).
HEADLESS_SHELL = "/usr/lib/chromium/chromium-headless-shell"
CHROMIUM = os.environ.get("CHROMIUM") or (HEADLESS_SHELL if Path(HEADLESS_SHELL).exists() else "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
NETWORK_NOISE = re.compile(r"^Failed to load resource|^Access to XMLHttpRequest at .* blocked by CORS policy")
ADMIN = 11_000_001
_accounts = itertools.count(1)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives the widget in chromium through the harness page")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def widget_zip(tmp_path_factory) -> Path:
    """The archive amoCRM would get, built and checked for this run: the page loads it, not the sources."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("widget_build", WIDGET / "tools" / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    out = tmp_path_factory.mktemp("widget") / "widget.zip"
    problems = build.build(WIDGET, out)
    assert problems == [], problems
    return out


@pytest.fixture(scope="session")
def harness_port() -> int:
    return _free_port()


@pytest.fixture(scope="session")
def stack(harness_port):
    with stack_process(*STACK_ARGS, "--allow-origin", f"http://127.0.0.1:{harness_port}", timeout=90) as info:
        yield SimpleNamespace(**info, info=StackInfo.from_ready(info), control=EmulatorControl(info["emulator_url"]))


@pytest.fixture(scope="session")
def harness(stack, widget_zip, harness_port):
    node_modules = WIDGET / "harness" / "node_modules"
    if not (node_modules / "requirejs" / "require.js").exists():
        pytest.fail("the harness libraries are missing: run `make widget-harness` (npm ci in widget/harness)")
    with HarnessServer(HarnessConfig(stack=stack.info, widget=widget_zip), port=harness_port) as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make chromium` (apt-get install chromium-headless-shell)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def account(stack):
    """A fresh demo account (the manual's pipelines, users and lead 24002811), installed through OAuth."""
    return install_demo_account(stack.info, f"b{os.getpid()}x{next(_accounts)}")


@pytest.fixture
def page(browser):
    # UTC: the browser's own time differs from the accounts' Moscow, as for a manager travelling
    context = browser.new_context(viewport={"width": 1360, "height": 1000}, device_scale_factor=1, timezone_id="UTC")
    page = context.new_page()
    page.set_default_timeout(20_000)
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.js_errors = errors
    yield page
    context.close()
    # A widget that throws or logs errors inside amoCRM is broken even if the test clicked through.
    # Failed requests are the browser's own console lines; the widget shows them and tests assert that.
    unexpected = [e for e in errors if not NETWORK_NOISE.search(e)]
    assert unexpected == [], unexpected


def open_area(page, harness, account, area: str, *, lang: str = "ru", user: int = ADMIN, **extra) -> None:
    query = {"area": area, "lang": lang, "account": account["id"], "subdomain": account["subdomain"], "user": user}
    query.update({k: v for k, v in extra.items() if v is not None})
    page.goto(f"{harness.url}/harness/index.html?{urlencode(query)}")
    page.wait_for_function("window.harness && window.harness.ready === true")


def dated(name: str) -> str:
    """A copy's default name: the source's name and today in the account's zone (`{name} ({date})`)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return f"{name} ({datetime.now(ZoneInfo('Europe/Moscow')):%d.%m.%Y})"


def screenshot(target, name: str) -> Path:
    """Saves a PNG under test-artifacts/screenshots/ for a person (or an image viewer) to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    target.screenshot(path=str(path))
    return path


DOC_SCREENSHOTS = ROOT / "docs" / "screenshots"


def publish(shot: Path, name: str | None = None) -> None:
    """Copies a screenshot into docs/screenshots/ when asked (`DEALCOPY_DOC_SCREENSHOTS=1`): a plain test run
    leaves the repository as it found it; the README's pictures are refreshed on purpose."""
    if os.environ.get("DEALCOPY_DOC_SCREENSHOTS") == "1":
        DOC_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, DOC_SCREENSHOTS / (name or shot.name))


def wait_for(predicate, timeout: float = 30, interval: float = 0.3, what: str = "condition"):
    give_up = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > give_up:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(interval)


COPY_WAIT = 60  # seconds: bounds a copy that never ends, not how fast one is (docs/testing.md)


def copied_link(panel):
    """The card panel's link to the copy it just made. If the panel shows an error instead, the test fails
    with the error's text at once rather than after the wait."""
    link = panel.locator(".dealcopy-result__link")
    error = panel.locator('[data-slot="error"]')
    wait_for(lambda: link.is_visible() or error.is_visible(), timeout=COPY_WAIT, what="the copy's link")
    assert link.is_visible(), f"the panel shows an error instead of a copy: {error.inner_text()!r}"
    return link


def confirm_twice(button, prompt: str, before_confirming=None) -> None:
    """A destructive action: the first click only asks (`prompt` on the button), the second acts.
    `before_confirming()` checks that nothing happened between the two."""
    button.click()
    assert button.inner_text() == prompt
    if before_confirming is not None:
        before_confirming()
    button.click()
