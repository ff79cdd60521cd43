"""OAuth 2.0 as amoCRM runs it: install codes, token pairs, refresh rotation, revocation.

Access tokens are JWTs (HS256 with an emulator-internal key) carrying ``account_id``,
``base_domain`` and ``api_domain``; as in amoCRM (tokens since 2024-08-21), ``api_domain`` is a
*shared* host (``api-b.amocrm.ru``), not the account's: the account's host comes from the
install's ``referer`` (see ``hosts.py``).  Refresh
rotation: a refresh token stays usable until the pair it produced is used, then
it is dead.  Old access tokens stay valid until they expire.
"""

from __future__ import annotations

import json
import secrets
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import jwt
from starlette.requests import Request
from starlette.responses import Response

from .faults import run_faulted
from .hosts import addressed
from .problems import json_response, problem
from .ratelimit import LimitConfig
from .state import Account, AuthCode, EmulatorState, Install, Integration, TokenPair

CODE_TTL = 20 * 60
ACCESS_TTL = 24 * 3600
REFRESH_TTL = 90 * 24 * 3600
TOKEN_PATH = "/oauth2/access_token"
SCOPES = ["crm", "notifications"]
_OAUTH_PROBLEM = "https://developers.amocrm.ru/v3/errors/OAuthProblemJson"
_OAUTH_DETAIL = "В запросе отсутствует ряд параметров или параметры невалидны"


class OAuthError(Exception):
    def __init__(self, hint: str, status: int = 400) -> None:
        super().__init__(hint)
        self.hint = hint
        self.status = status

    def response(self) -> Response:
        title = "Некорректный запрос" if self.status == 400 else "Unauthorized"
        body = {
            "hint": self.hint,
            "title": title,
            "type": _OAUTH_PROBLEM,
            "status": self.status,
            "detail": _OAUTH_DETAIL,
        }
        return json_response(body, self.status, "application/problem+json")


# --- issuing -----------------------------------------------------------------------------------


def issue_pair(
    state: EmulatorState, account: Account, client_id: str, user_id: int, parent: TokenPair | None = None
) -> TokenPair:
    now = state.clock.now()
    jti = str(uuid.uuid4())
    claims = {
        "aud": client_id,
        "jti": jti,
        "iat": int(now),
        "nbf": int(now),
        "exp": int(now + ACCESS_TTL),
        "sub": str(user_id),
        "grant_type": "",
        "account_id": account.id,
        "base_domain": account.base_domain,
        "version": 2,
        "scopes": SCOPES,
        "api_domain": account.api_domain,
    }
    pair = TokenPair(
        jti=jti,
        access_token=jwt.encode(claims, state.jwt_key, algorithm="HS256"),
        refresh_token="def50200" + secrets.token_hex(96),
        account_id=account.id,
        client_id=client_id,
        user_id=user_id,
        issued_at=now,
        access_expires_at=now + ACCESS_TTL,
        refresh_expires_at=now + REFRESH_TTL,
        parent=parent,
    )
    state.tokens_by_jti[jti] = pair
    state.tokens_by_refresh[pair.refresh_token] = pair
    return pair


def token_body(state: EmulatorState, pair: TokenPair) -> dict[str, Any]:
    return {
        "token_type": "Bearer",
        "expires_in": ACCESS_TTL,
        "access_token": pair.access_token,
        "refresh_token": pair.refresh_token,
        "server_time": state.clock.now_int(),
    }


def install(state: EmulatorState, account: Account, client_id: str, user_id: int | None = None) -> AuthCode:
    """What happens when an admin installs the integration: amoCRM hands out a code."""
    if client_id not in state.integrations:
        raise KeyError(f"integration {client_id!r} is not registered")
    user = user_id if user_id is not None else account.admin_user_id
    if user not in account.users:
        raise KeyError(f"user {user} does not exist in account {account.id}")
    account.installs[client_id] = Install(client_id=client_id, user_id=user)
    code = AuthCode(
        code="def50200" + secrets.token_hex(48),
        client_id=client_id,
        account_id=account.id,
        user_id=user,
        created_at=state.clock.now(),
    )
    state.codes[code.code] = code
    return code


def uninstall(state: EmulatorState, account: Account, client_id: str) -> int:
    """Revoke every code and token of that integration in that account."""
    if client_id in account.installs:
        account.installs[client_id].active = False
    revoked = 0
    for pair in state.tokens_by_jti.values():
        if pair.account_id == account.id and pair.client_id == client_id and not pair.revoked:
            pair.revoked = True
            revoked += 1
    for code in state.codes.values():
        if code.account_id == account.id and code.client_id == client_id:
            code.revoked = True
    return revoked


def expire_access_tokens(state: EmulatorState, account: Account) -> int:
    now = state.clock.now()
    count = 0
    for pair in state.tokens_by_jti.values():
        if pair.account_id == account.id and pair.access_expires_at > now:
            pair.access_expires_at = now
            count += 1
    return count


def mark_used(pair: TokenPair) -> None:
    """Using a pair (API call or its refresh token) kills the refresh token that made it."""
    pair.used = True
    if pair.parent is not None:
        pair.parent.refresh_invalidated = True


# --- API authentication -----------------------------------------------------------------------


@dataclass
class AuthResult:
    account: Account | None
    pair: TokenPair | None
    error: str | None


def authenticate(state: EmulatorState, header: str | None) -> AuthResult:
    if not header or not header.lower().startswith("bearer "):
        return AuthResult(None, None, "Authorization header is missing")
    token = header[7:].strip()
    try:
        claims = jwt.decode(
            token,
            state.jwt_key,
            algorithms=["HS256"],
            options={"verify_exp": False, "verify_nbf": False, "verify_iat": False, "verify_aud": False},
        )
    except jwt.PyJWTError:
        return AuthResult(None, None, "Invalid access token")
    pair = state.tokens_by_jti.get(str(claims.get("jti")))
    account = state.accounts.get(pair.account_id) if pair else None
    if pair is None or account is None or pair.access_token != token:
        return AuthResult(None, None, "Invalid access token")
    if pair.revoked:
        return AuthResult(account, pair, "Access token has been revoked")
    if state.clock.now() >= pair.access_expires_at:
        return AuthResult(account, pair, "Access token has expired")
    return AuthResult(account, pair, None)


# --- /oauth2/access_token ------------------------------------------------------------------------


def _params(content_type: str, raw: bytes) -> dict[str, Any]:
    """amoCRM takes the token request as JSON or as a form."""
    if "json" in content_type:
        try:
            data = json.loads(raw or b"{}")
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}
    return dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))


def _target(state: EmulatorState, params: dict[str, Any]) -> tuple[AuthCode | TokenPair | None, Account | None]:
    grant = params.get("grant_type")
    target: AuthCode | TokenPair | None = None
    if grant == "authorization_code":
        target = state.codes.get(str(params.get("code")))
    elif grant == "refresh_token":
        target = state.tokens_by_refresh.get(str(params.get("refresh_token")))
    return target, state.accounts.get(target.account_id) if target else None


def _check_client(state: EmulatorState, params: dict[str, Any], target: AuthCode | TokenPair) -> Integration:
    client = state.integrations.get(str(params.get("client_id")))
    if client is None or client.client_id != target.client_id:
        raise OAuthError("Client authentication failed")
    if not secrets.compare_digest(str(params.get("client_secret", "")), client.client_secret):
        raise OAuthError("Client authentication failed")
    if params.get("redirect_uri") != client.redirect_uri:
        raise OAuthError("Redirect URI mismatch")
    return client


def _grant(state: EmulatorState, params: dict[str, Any], target: AuthCode | TokenPair | None) -> TokenPair:
    grant = params.get("grant_type")
    if grant not in ("authorization_code", "refresh_token"):
        raise OAuthError("The authorization grant type is not supported by the authorization server")
    if target is None:
        what = "authorization code" if grant == "authorization_code" else "refresh token"
        raise OAuthError(f"Cannot decrypt the {what}")
    account = state.accounts[target.account_id]
    _check_client(state, params, target)
    now = state.clock.now()
    if isinstance(target, AuthCode):
        if target.used or target.revoked:
            raise OAuthError("Authorization code has been revoked")
        if now > target.created_at + CODE_TTL:
            raise OAuthError("Authorization code has expired")
        target.used = True
        return issue_pair(state, account, target.client_id, target.user_id)
    if target.revoked:
        raise OAuthError("The integration was uninstalled: token revoked", status=401)
    if target.refresh_invalidated:
        raise OAuthError("Token has been revoked")
    if now >= target.refresh_expires_at:
        raise OAuthError("Token has expired")
    mark_used(target)
    return issue_pair(state, account, target.client_id, target.user_id, parent=target)


async def access_token_endpoint(request: Request) -> Response:
    state: EmulatorState = request.app.state.emulator
    params = _params(request.headers.get("content-type", ""), await request.body())
    with state.lock:
        target, account = _target(state, params)
        where = addressed(state, request.headers)
        if account is not None and not where.serves(account):
            target, account = None, None  # a code or token of another account's host is unknown here
        entry = None
        fault = None
        if account is not None:
            masked = {k: ("***" if k == "client_secret" else v) for k, v in params.items()}
            entry = account.log.open(
                ts=state.clock.now(),
                method="POST",
                path=TOKEN_PATH,
                template=f"POST {TOKEN_PATH}",
                query={},
                grant_type=str(params.get("grant_type")),
                body=masked,
                host=where.host,
            )
            fault = account.faults.pick("POST", TOKEN_PATH, oauth=True)
            entry.fault = fault.kind if fault else None

    def execute() -> Response:
        with state.lock:
            try:
                pair = _grant(state, params, target)
            except OAuthError as err:
                return err.response()
            if entry is not None:
                entry.user_id = pair.user_id
            return json_response(token_body(state, pair))

    if not params:
        response = problem(400, "Request body is empty or malformed")
    else:
        response = await run_faulted(fault, account.limits if account else LimitConfig(), execute)
    if entry is not None:
        entry.status = response.status_code
    return response
