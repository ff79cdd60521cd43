import pytest
from tests.browser.conftest import open_area
pytestmark = [pytest.mark.browser]

def test_debug(page, harness, stack, account):
    logs = []
    page.on("console", lambda m: logs.append(m.text))
    page.on("response", lambda r: logs.append(f"{r.status} {r.request.method} {r.url}"))
    open_area(page, harness, account, "lcard", lead=24002811)
    page.wait_for_timeout(8000)
    print("\n".join(logs))
    print(page.evaluate("JSON.stringify(window.harness.events)"))
    print(page.locator("#harness-widgets").inner_html()[:2000])
