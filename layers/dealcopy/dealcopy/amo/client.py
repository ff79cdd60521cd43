"""amoCRM API v4 client: throttled, retried, counted, typed.

One instance serves one account. Requests pass through the account's limiter
(before sending: the in-process window, then the account's budget shared by every
instance, see `dealcopy.amo.budget`), are retried on 429/5xx/timeouts with jittered backoff inside a
total deadline, and a 401 triggers a token refresh and a retry (at most twice, once per refused token).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx

from dealcopy.amo.budget import Limiter
from dealcopy.amo.counting import RequestCounter, request_counter
from dealcopy.amo.errors import (
    AmoAmbiguousWrite,
    AmoError,
    AmoNotFound,
    AmoRateLimited,
    AmoServerError,
    AmoUnauthorized,
    AmoUnavailable,
    error_from_answer,
)
from dealcopy.amo.retry import RetryPolicy
from dealcopy.amo.tokens import TokenProvider

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PATCH", "PUT", "DELETE"})
# Statuses where amoCRM did not execute the request, so even a create may be sent again.
_NOT_EXECUTED = frozenset({429, 503})


def base_url_for(domain: str, override: str = "") -> str:
    """`https://{domain}` unless a local override (the emulator) is configured."""
    if override:
        return override.rstrip("/")
    return f"https://{domain.strip().strip('/')}"


MAX_TOKEN_REFRESHES = 2


class AmoClient:
    """Thin, safe access to `/api/v4` of one account."""

    def __init__(
        self,
        base_url: str,
        tokens: TokenProvider,
        *,
        limiter: Limiter,
        account_key: str,
        http: httpx.Client | None = None,
        policy: RetryPolicy | None = None,
        counter: RequestCounter = request_counter,
        timeout: float = 15.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._tokens = tokens
        self._limiter = limiter
        self._account = account_key
        self._http = http or httpx.Client(timeout=timeout)
        self._policy = policy or RetryPolicy()
        self._counter = counter
        self._timeout = timeout
        self.stop_at: float | None = None  # time.monotonic() no request may outlive (a caller's own deadline)
        # After a 404: the base URL of the account's new host (a rename), None when the stored host is
        # confirmed (the 404 stands); raises AmoUnavailable when that cannot be told (`hosts.host_checker`).
        self.host_check: Callable[[], str | None] | None = None
        self.relocated_to: str | None = None  # the host a rename was followed to (links must name it)

    # -- public verbs -------------------------------------------------------
    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.request("GET", path, params=params)

    def post(self, path: str, json: Any, *, idempotent: bool = False) -> Any:
        """POST; `idempotent=True` lets timeouts/502/504 be retried (links, notes with dedupe)."""
        return self.request("POST", path, json=json, idempotent=idempotent)

    def patch(self, path: str, json: Any) -> Any:
        return self.request("PATCH", path, json=json)

    def paginate(
        self, path: str, embedded_key: str, params: dict[str, Any] | None = None, limit: int = 250
    ) -> Iterator[dict[str, Any]]:
        """Yield items of `_embedded[embedded_key]` page after page until a 204 or a short page."""
        page = 1
        while True:
            body = self.get(path, {**(params or {}), "page": page, "limit": limit})
            items = (body or {}).get("_embedded", {}).get(embedded_key, [])
            yield from items
            if not body or len(items) < limit or not body.get("_links", {}).get("next"):
                return
            page += 1

    # -- machinery ----------------------------------------------------------
    def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        idempotent: bool | None = None,
    ) -> Any:
        """Send with throttle, retries and one refresh-on-401; returns parsed JSON or None (204)."""
        method = method.upper()
        replayable = method in _SAFE_METHODS if idempotent is None else idempotent
        started = time.monotonic()
        rejected: set[str] = set()  # tokens amoCRM refused during this request
        attempt = 0
        last: BaseException | None = None
        relocated = False
        while attempt < self._policy.max_attempts:
            token = self._tokens.access_token()
            remaining = self._time_left(started)
            if remaining <= 0:
                break
            try:
                return self._send(method, path, token, params, json, remaining)
            except AmoUnauthorized:
                # One refresh per refused token, at most two: the first 401 may adopt a pair another instance
                # stored, and if amoCRM refuses that one too, it is refreshed for real once.
                if token in rejected or len(rejected) >= MAX_TOKEN_REFRESHES:
                    raise
                rejected.add(token)
                self._tokens.refreshed_after(token)
                continue  # the refresh retry does not consume an attempt
            except AmoNotFound:
                moved = None if relocated or self.host_check is None else self.host_check()
                if moved is None:
                    raise
                self.base_url, relocated = moved.rstrip("/"), True
                self.relocated_to = self.base_url.split("://", 1)[-1]
                continue  # the account was renamed: the same request at its new host
            except (AmoRateLimited, AmoServerError) as err:
                if not replayable and err.status not in _NOT_EXECUTED:
                    raise AmoAmbiguousWrite(str(err), attempt + 1, err) from err
                last, wait = err, self._policy.backoff(attempt, getattr(err, "retry_after", None))
            except httpx.TransportError as err:
                if not replayable and not isinstance(err, httpx.ConnectError):
                    raise AmoAmbiguousWrite(type(err).__name__, attempt + 1, err) from err
                last, wait = err, self._policy.backoff(attempt)
            attempt += 1
            if wait >= self._time_left(started):
                break
            time.sleep(wait)
        raise AmoUnavailable(str(last) if last else "deadline exceeded", attempt, last)

    def _time_left(self, started: float) -> float:
        """Seconds a request sent at `started` may still take: the retry deadline, cut at `stop_at`."""
        now = time.monotonic()
        left = self._policy.deadline - (now - started)
        return left if self.stop_at is None else min(left, self.stop_at - now)

    def _send(self, method: str, path: str, token: str, params: Any, json: Any, remaining: float) -> Any:
        self._limiter.acquire()
        status = 0
        try:
            response = self._http.request(
                method,
                f"{self.base_url}{path}",
                params=params,
                json=json,
                headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
                timeout=min(self._timeout, max(remaining, 0.1)),
            )
            status = response.status_code
        finally:
            self._counter.record(self._account, status)
        if status < 400 and (status == 204 or not response.content):
            return None
        body = _json_or_empty(response)
        if status >= 400:
            raise error_from_answer(status, body, dict(response.headers))
        return body


def _json_or_empty(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return {}


__all__ = ["AmoClient", "AmoError", "base_url_for"]
