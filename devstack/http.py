"""The one HTTP client of the local stack's tools, harness and tests.

`httpx.get()` and friends build a client per call, and with it an SSL context that loads the CA bundle:
about 50 ms of CPU a call, even to a plain-HTTP loopback address (a year simulated in run-due steps spent
a sixth of its CPU there, a fuzzed route more). This client behaves as a client per call did: no cookie
is kept from one call to the next (each call is a visitor of its own), and no connection is kept alive (a
call never lands on a connection the gateway is closing). Thread-safe; the timeout is per call as before
(`HTTP.get(url, timeout=10)`), 30 s where a call gives none.
"""

from __future__ import annotations

from http.cookiejar import CookieJar, DefaultCookiePolicy

import httpx

HTTP = httpx.Client(
    timeout=30,
    limits=httpx.Limits(max_keepalive_connections=0),
    cookies=CookieJar(DefaultCookiePolicy(allowed_domains=[])),
)
