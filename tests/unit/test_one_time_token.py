"""Widget calls: amoCRM's one-time JWT verified, replay refused (moto-backed claims)."""

import time
import uuid

import jwt
import pytest

from dealcopy.auth.one_time_token import OneTimeTokens, TokenRejected, audience_of
from dealcopy.storage.claims import ClaimStore

SECRET = "integration-secret-of-realistic-length-0123456789abcdef"
CLIENT = "2b8f7c1e-5d7a-4c3e-9a61-0f2d3c4b5a69"
REDIRECT = "https://api.dealcopy.example/oauth/callback"


def token(secret=SECRET, **overrides):
    now = int(time.time())
    claims = {
        "iss": "https://demo.amocrm.ru",
        "aud": "https://api.dealcopy.example",
        "jti": str(uuid.uuid4()),
        "iat": now,
        "nbf": now,
        "exp": now + 1800,
        "account_id": 30000001,
        "user_id": 11000001,
        "subdomain": "demo",
        "client_uuid": CLIENT,
        "is_admin": True,
    }
    claims.update(overrides)
    return jwt.encode({k: v for k, v in claims.items() if v is not None}, secret, algorithm="HS256")


@pytest.fixture
def tokens(aws):
    return OneTimeTokens(ClaimStore(aws.table("JobsTable")), lambda: SECRET, redirect_uri=REDIRECT, client_id=CLIENT)


def test_a_genuine_token_names_account_and_user(tokens):
    caller = tokens.authenticate(token())
    assert (caller.account_id, caller.user_id, caller.subdomain, caller.is_admin) == (30000001, 11000001, "demo", True)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (lambda: token(secret="forged-secret-of-realistic-length-0123456789abcdef"), "invalid token"),
        (lambda: token(exp=int(time.time()) - 120), "token expired"),
        (lambda: token(nbf=int(time.time()) + 600), "token not yet valid"),
        (lambda: token(aud="https://evil.example"), "another audience"),
        (lambda: token(client_uuid="someone-else"), "another integration"),
        (lambda: token(jti=None), "invalid token"),
        (lambda: token(account_id=None), "without account"),
        (lambda: jwt.encode({"account_id": 1}, SECRET * 2, algorithm="HS512"), "invalid token"),
        (lambda: "not-a-jwt", "invalid token"),
        (lambda: "", "missing"),
    ],
)
def test_bad_tokens_are_rejected_with_a_reason(tokens, raw, reason):
    with pytest.raises(TokenRejected, match=reason):
        tokens.authenticate(raw())


def test_a_token_is_accepted_once(tokens):
    once = token()
    tokens.authenticate(once)
    with pytest.raises(TokenRejected, match="already used"):
        tokens.authenticate(once)


def test_audience_is_scheme_and_host_of_the_redirect_uri():
    assert audience_of("https://api.example.com:8443/oauth/callback?x=1") == "https://api.example.com:8443"
