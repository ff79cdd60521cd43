"""``EmulatorControl``: a small httpx client of the control API (and of the OAuth endpoint).

Used by tests, the demo and benchmarks::

    ctl = EmulatorControl("http://127.0.0.1:8900")
    ctl.add_integration("client", "secret", "https://example.test/oauth")
    acc = ctl.create_account("shop", demo=True)
    tokens = ctl.issue_tokens(acc["id"], "client")
    api = ctl.api(tokens["access_token"])
    api.get("/api/v4/leads/24002811").json()
"""

from __future__ import annotations

import functools
import ssl
from typing import Any

import httpx


@functools.cache
def _tls() -> ssl.SSLContext:
    """httpx's verifying TLS context, made once a process: a client makes its own otherwise, loading the CA bundle
    (about 50 ms of CPU), and the tests make a control for every account they install."""
    return httpx.create_ssl_context()


class EmulatorControl:
    def __init__(self, base_url: str, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.http = httpx.Client(base_url=self.base_url, timeout=timeout, verify=_tls())

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> EmulatorControl:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(self, method: str, path: str, json: Any = None, params: dict[str, Any] | None = None) -> Any:
        response = self.http.request(method, f"/_emulator{path}", json=json, params=params)
        if response.status_code >= 400:
            raise RuntimeError(f"{method} {path} -> {response.status_code}: {response.text}")
        return response.json()

    # global
    def reset(self) -> Any:
        return self._call("POST", "/reset")

    def demo_ids(self) -> dict[str, Any]:
        return self._call("GET", "/demo")

    def add_integration(self, client_id: str, client_secret: str, redirect_uri: str) -> Any:
        body = {"client_id": client_id, "client_secret": client_secret, "redirect_uri": redirect_uri}
        return self._call("POST", "/integrations", body)

    def advance_clock(self, seconds: float) -> Any:
        return self._call("POST", "/clock", {"advance_seconds": seconds})

    # accounts
    def create_account(
        self,
        subdomain: str,
        *,
        demo: bool = False,
        account_id: int | None = None,
        name: str | None = None,
        limits: dict[str, Any] | None = None,
        base_domain: str | None = None,
        timezone: str | None = None,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"subdomain": subdomain, "demo": demo}
        for key, value in (
            ("id", account_id),
            ("name", name),
            ("limits", limits),
            ("base_domain", base_domain),
            ("timezone", timezone),
        ):
            if value is not None:
                body[key] = value
        return self._call("POST", "/accounts", body)

    def get_account(self, account_id: int) -> dict[str, Any]:
        return self._call("GET", f"/accounts/{account_id}")

    def set_timezone(self, account_id: int, timezone: str) -> dict[str, Any]:
        return self._call("POST", f"/accounts/{account_id}/timezone", {"timezone": timezone})

    def rename_account(self, account_id: int, subdomain: str) -> dict[str, Any]:
        return self._call("POST", f"/accounts/{account_id}/rename", {"subdomain": subdomain})

    def install(self, account_id: int, client_id: str, user_id: int | None = None, state: str | None = None) -> Any:
        return self._call(
            "POST",
            f"/accounts/{account_id}/install",
            {"client_id": client_id, "user_id": user_id, "state": state},
        )

    def uninstall(self, account_id: int, client_id: str) -> Any:
        return self._call("POST", f"/accounts/{account_id}/uninstall", {"client_id": client_id})

    def expire_tokens(self, account_id: int) -> Any:
        return self._call("POST", f"/accounts/{account_id}/tokens/expire")

    def issue_tokens(self, account_id: int, client_id: str, user_id: int | None = None) -> dict[str, Any]:
        return self._call("POST", f"/accounts/{account_id}/tokens", {"client_id": client_id, "user_id": user_id})

    def seed(self, account_id: int, payload: dict[str, Any]) -> dict[str, Any]:
        return self._call("POST", f"/accounts/{account_id}/seed", payload)

    def state(self, account_id: int) -> dict[str, Any]:
        return self._call("GET", f"/accounts/{account_id}/state")

    def lead(self, account_id: int, lead_id: int) -> dict[str, Any]:
        return self._call("GET", f"/accounts/{account_id}/leads/{lead_id}")

    def delete_lead(self, account_id: int, lead_id: int) -> Any:
        return self._call("DELETE", f"/accounts/{account_id}/leads/{lead_id}")

    def delete_field(self, account_id: int, field_id: int) -> Any:
        return self._call("DELETE", f"/accounts/{account_id}/custom_fields/{field_id}")

    def requests(self, account_id: int, since: int | None = None) -> list[dict[str, Any]]:
        return self._call("GET", f"/accounts/{account_id}/requests", params={"since": since} if since else None)

    def clear_requests(self, account_id: int) -> Any:
        return self._call("DELETE", f"/accounts/{account_id}/requests")

    def stats(self, account_id: int) -> dict[str, Any]:
        return self._call("GET", f"/accounts/{account_id}/stats")

    def add_fault(self, account_id: int, **spec: Any) -> Any:
        """``kind=, count=, delay=, path_prefix=, path=, method=`` or ``rate=, kinds=, seed=, delay=, ...``."""
        return self._call("POST", f"/accounts/{account_id}/faults", {k: v for k, v in spec.items() if v is not None})

    def clear_faults(self, account_id: int) -> Any:
        return self._call("DELETE", f"/accounts/{account_id}/faults")

    def set_limits(self, account_id: int, **limits: Any) -> Any:
        """``rate, window, block_after, block_window, block_seconds, retry_after_header, unblock``."""
        return self._call("PUT", f"/accounts/{account_id}/limits", limits)

    # Digital Pipeline
    def add_dp_trigger(
        self,
        account_id: int,
        *,
        pipeline_id: int,
        status_id: int,
        url: str,
        settings: dict[str, str],
        encoding: str = "form",
        drop_next: int = 0,
        drop_rate: float = 0.0,
        seed: int | None = None,
        event_type: int = 14,
    ) -> list[dict[str, Any]]:
        """Put the widget's DP action on a stage: a lead entering it makes amoCRM POST a hook to `url`."""
        body = {
            "event_type": event_type,
            "pipeline_id": pipeline_id,
            "status_id": status_id,
            "url": url,
            "settings": settings,
            "encoding": encoding,
            "drop_next": drop_next,
            "drop_rate": drop_rate,
            "seed": seed,
        }
        return self._call("POST", f"/accounts/{account_id}/dp/triggers", body)

    def update_dp_trigger(self, account_id: int, trigger_id: int, **changes: Any) -> list[dict[str, Any]]:
        return self._call("PATCH", f"/accounts/{account_id}/dp/triggers/{trigger_id}", changes)

    def clear_dp_triggers(self, account_id: int) -> Any:
        return self._call("DELETE", f"/accounts/{account_id}/dp/triggers")

    def dp_hooks(self, account_id: int) -> list[dict[str, Any]]:
        return self._call("GET", f"/accounts/{account_id}/dp/hooks")

    def move_lead(self, account_id: int, lead_id: int, pipeline_id: int, status_id: int, **extra: Any) -> Any:
        """Move a lead into a stage (an event is recorded and DP triggers fire)."""
        body = {"pipeline_id": pipeline_id, "status_id": status_id, **extra}
        return self._call("POST", f"/accounts/{account_id}/leads/{lead_id}/move", body)

    # OAuth and API helpers
    def exchange(self, **params: Any) -> httpx.Response:
        """POST /oauth2/access_token with a JSON body (returns the raw response)."""
        return self.http.post("/oauth2/access_token", json=params)

    def api(self, access_token: str, timeout: float = 10.0) -> httpx.Client:
        """An httpx client for the API with the bearer token set (caller closes it)."""
        headers = {"Authorization": f"Bearer {access_token}"}
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=timeout, verify=_tls())

    def connect(
        self, subdomain: str, client_id: str = "test-client", *, demo: bool = False, **account: Any
    ) -> dict[str, Any]:
        """Register an integration (secret ``<client_id>-secret``), create an account, issue tokens."""
        self.add_integration(client_id, f"{client_id}-secret", f"https://{client_id}.example/oauth")
        acc = self.create_account(subdomain, demo=demo, **account)
        tokens = self.issue_tokens(acc["id"], client_id)
        return {"account": acc, "tokens": tokens, "client_id": client_id}
