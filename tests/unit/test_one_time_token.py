"""Widget calls: amoCRM's one-time JWT verified, replay refused (moto-backed claims)."""

import contextlib
import time
import uuid

import jwt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (lambda: token(account_id="30000001"), "without account"),
        (lambda: token(user_id=2**53 + 1), "without account"),
        (lambda: token(account_id=True), "without account"),
        (lambda: token(account_id=0), "without account"),
        (lambda: token(user_id=1.5), "without account"),
        (lambda: token(jti={"x": 1}), "invalid token"),
        (lambda: token(jti="j" * 500), "invalid token"),
        (lambda: "токен.не.настоящий", "invalid token"),
        (lambda: token() + "\udc80", "invalid token"),
        (lambda: "a" * 10_000, "invalid token"),
    ],
    ids=[
        "id-as-text",
        "id-over-2^53",
        "id-bool",
        "id-0",
        "id-float",
        "jti-object",
        "jti-long",
        "non-ascii",
        "surrogate",
        "huge",
    ],
)
def test_claims_are_read_strictly(tokens, raw, reason):
    with pytest.raises(TokenRejected, match=reason):
        tokens.authenticate(raw())


@pytest.mark.parametrize("flag", ["false", "true", 1, "1", None, [True]])
def test_only_the_json_boolean_true_is_an_admin(tokens, flag):
    assert tokens.authenticate(token(is_admin=flag)).is_admin is False


def test_a_far_expiry_does_not_make_a_far_claim(tokens, aws):
    caller = tokens.authenticate(token(exp=int(time.time()) + 10**12))
    assert caller.account_id == 30000001


@settings(max_examples=150)
@given(
    st.one_of(
        st.text(max_size=300),
        st.builds(
            lambda claims: jwt.encode(claims, SECRET, algorithm="HS256"),
            st.dictionaries(
                st.sampled_from(
                    ["account_id", "user_id", "is_admin", "jti", "exp", "nbf", "iat", "aud", "client_uuid"]
                ),
                st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)),
            ),
        ),
    )
)
def test_any_header_is_a_caller_or_token_rejected(header):
    offline = OneTimeTokens(_NoClaims(), lambda: SECRET, redirect_uri=REDIRECT, client_id=CLIENT)
    with contextlib.suppress(TokenRejected):
        offline.authenticate(header)


class _NoClaims:
    """Every jti is new (the fuzz checks the verifier, not the claim store)."""

    def claim(self, key, ttl):
        return True
