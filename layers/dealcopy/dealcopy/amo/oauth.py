"""OAuth 2.0 against the account's own host: code exchange and refresh; the SDK's subdomain lookup.

Code exchange and refresh go to the account's host (`{subdomain}.{base_domain}`). The token's
`api_domain` claim is a *shared* host used only for `GET /oauth2/account/current/subdomain`
(header `X-Refresh-Token`), which names the account's host after a rename (facts: Hosts, C via SDK).
"""

from __future__ import annotations

import base64
import json
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dealcopy.amo.errors import AmoUnavailable, error_from_answer

if TYPE_CHECKING:  # httpx loads on first use: routes that never call amoCRM do not pay for it
    import httpx


@dataclass(frozen=True)
class TokenPair:
    """What `/oauth2/access_token` returns, with the expiry made absolute (checked in `_pair`)."""

    access_token: str
    refresh_token: str
    expires_at: int

    def claims(self) -> dict[str, Any]:
        """Unverified JWT claims of the access token (amoCRM issues JWTs; used for `api_domain`)."""
        return unverified_claims(self.access_token)


class AccountHostGone(AmoUnavailable):
    """The account's host did not answer as an account (404 or no such name): it may have been renamed."""


LOOKUP_PATH = "/oauth2/account/current/subdomain"


class OAuthGrantRejected(Exception):
    """amoCRM refused the code or refresh token (used, expired, revoked, wrong client)."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(f"OAuth grant rejected ({status}): {detail}")
        self.status = status
        self.detail = detail


def unverified_claims(token: str) -> dict[str, Any]:
    """Payload of a JWT without checking its signature; {} for opaque tokens."""
    try:
        payload = token.split(".")[1]
        padded = payload + "=" * (-len(payload) % 4)
        claims = json.loads(base64.urlsafe_b64decode(padded))
        return claims if isinstance(claims, dict) else {}
    except (IndexError, ValueError):
        return {}


class OAuthClient:
    """Exchanges codes and refresh tokens at `{base_url}/oauth2/access_token`."""

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        redirect_uri: str,
        http: httpx.Client | None = None,
        timeout: float = 15.0,
    ) -> None:
        self._client_id = client_id
        self._secret = client_secret
        self._redirect_uri = redirect_uri
        import httpx

        self._http = http or httpx.Client(timeout=timeout)

    def exchange_code(self, base_url: str, code: str) -> TokenPair:
        return self._grant(base_url, {"grant_type": "authorization_code", "code": code})

    def refresh(self, base_url: str, refresh_token: str) -> TokenPair:
        return self._grant(base_url, {"grant_type": "refresh_token", "refresh_token": refresh_token})

    def account_domain(self, api_domain: str, refresh_token: str) -> str | None:
        """The account's current host as amoCRM's shared API host tells it; None if it will not say."""
        import httpx

        try:
            response = self._http.get(f"https://{api_domain}{LOOKUP_PATH}", headers={"X-Refresh-Token": refresh_token})
        except httpx.TransportError:
            return None
        domain = _json(response).get("domain") if response.status_code == 200 else None
        return str(domain).strip().lower() if isinstance(domain, str) and domain.strip() else None

    def _grant(self, base_url: str, grant: dict[str, str]) -> TokenPair:
        import httpx

        body = {
            "client_id": self._client_id,
            "client_secret": self._secret,
            "redirect_uri": self._redirect_uri,
            **grant,
        }
        try:
            response = self._http.post(f"{base_url.rstrip('/')}/oauth2/access_token", json=body)
        except httpx.ConnectError as err:  # includes a name that no longer resolves
            raise AccountHostGone(f"OAuth endpoint unreachable: {type(err).__name__}", 1, err) from err
        except httpx.TransportError as err:
            raise AmoUnavailable(f"OAuth endpoint unreachable: {type(err).__name__}", 1, err) from err
        if response.status_code == 404:
            raise AccountHostGone("OAuth endpoint answered 404", 1)
        # Only a definite OAuth refusal is final; 403 (integration blocked), 429, 5xx, proxy pages: temporary.
        if response.status_code in (400, 401) and _oauth_refusal(_json(response)):
            body = _json(response)
            problem = error_from_answer(response.status_code, body)
            # amoCRM's `hint` names the cause ("Token has expired"); its `detail` is a generic sentence
            hint = body.get("hint") or body.get("error_description")
            raise OAuthGrantRejected(response.status_code, str(hint or problem.detail or problem.title))
        if response.status_code >= 300:
            raise AmoUnavailable(f"OAuth endpoint answered {response.status_code}", 1)
        return _pair(_json(response))


def _pair(data: dict[str, Any]) -> TokenPair:
    """The pair of a 2xx answer; anything else in its place (a proxy page, a truncated body) is temporary."""
    access, refresh, expires_in = data.get("access_token"), data.get("refresh_token"), data.get("expires_in", 86400)
    if not (isinstance(access, str) and access and isinstance(refresh, str) and refresh):
        raise AmoUnavailable("OAuth endpoint answered 2xx without a token pair", 1)
    if isinstance(expires_in, bool) or not isinstance(expires_in, int | float | str):
        raise AmoUnavailable("OAuth endpoint answered an unreadable expires_in", 1)
    try:
        lifetime = int(float(expires_in))
    except ValueError:
        raise AmoUnavailable("OAuth endpoint answered an unreadable expires_in", 1) from None
    return TokenPair(access_token=access, refresh_token=refresh, expires_at=int(time.time()) + lifetime)


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _oauth_refusal(body: dict[str, Any]) -> bool:
    """amoCRM's OAuth error body (`hint` + OAuthProblemJson type) or RFC 6749's `error` (shape **U**: accept both)."""
    return bool(body.get("error") or body.get("hint") or "oauth" in str(body.get("type", "")).lower())
