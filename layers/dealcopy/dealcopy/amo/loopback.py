"""Local runs only: every amoCRM host resolves to the emulator, like a hosts-file entry.

The code under test builds the real URLs (`https://demo.amocrm.ru/api/v4/...`,
`https://api-b.amocrm.ru/oauth2/...`); this transport sends them to the emulator's address and
keeps the real name in `Host`, so the emulator can answer per host (a renamed account's old
host answers 404) and tests can see which host every request addressed.
"""

from __future__ import annotations

import httpx


class LoopbackTransport(httpx.BaseTransport):
    def __init__(self, target: str, inner: httpx.BaseTransport | None = None) -> None:
        url = httpx.URL(target)
        self._scheme, self._host, self._port = url.scheme, url.host, url.port
        self._inner = inner or httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        # `Host` was set from the original URL when the request was built; only the address changes.
        request.url = request.url.copy_with(scheme=self._scheme, host=self._host, port=self._port)
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


def transport_for(override: str) -> httpx.BaseTransport | None:
    """The loopback transport when a local override (the emulator's URL) is configured, else None."""
    return LoopbackTransport(override) if override else None
