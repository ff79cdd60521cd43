"""Rotating the client secret: what the secret may hold, and what each check accepts during and after the window."""

from __future__ import annotations

import json
import time

import jwt
import pytest

from dealcopy.auth.client_secrets import ClientSecrets, key_id
from dealcopy.auth.one_time_token import TokenRejected, verify
from dealcopy.dp.errors import HookKeyRetired, HookUnauthorized
from dealcopy.dp.hook import DpHook
from dealcopy.dp.intake import verified
from dealcopy.dp.signing import sign, signature_key_id, verified_rule
from dealcopy.install import UninstallRejected, uninstall_signature, verify_uninstall
from dealcopy.observability import metrics

OLD, NEW = "old-secret-0123456789abcdef0123456789", "new-secret-9876543210fedcba9876543210"
DAY = 86400
ROTATED = 1_800_000_000


def _rotated(rotated_at: object = "2027-01-15T08:00:00Z", window_days: int = 30) -> ClientSecrets:
    raw = json.dumps({"client_secret": NEW, "previous_client_secret": OLD, "rotated_at": rotated_at})
    return ClientSecrets.parse(raw, window_days=window_days)


def test_a_plain_secret_is_the_current_one_and_nothing_else():
    secrets = ClientSecrets.parse("  plain-secret\n")
    assert secrets.current == "plain-secret" and secrets.previous is None
    assert secrets.accepted(time.time()) == ("plain-secret",)
    assert secrets.current_key_id == key_id("plain-secret") and len(secrets.current_key_id) == 8


def test_the_previous_secret_counts_for_the_window_after_the_rotation_only():
    secrets = _rotated(ROTATED, window_days=30)
    assert secrets.rotated_at == ROTATED and secrets.window_ends() == ROTATED + 30 * DAY
    assert secrets.accepted(ROTATED + 29 * DAY) == (NEW, OLD)
    assert secrets.accepted(ROTATED + 30 * DAY) == (NEW,)
    assert _rotated(ROTATED, window_days=7).accepted(ROTATED + 8 * DAY) == (NEW,)


def test_rotated_at_is_an_iso_time_with_its_zone_or_epoch_seconds():
    assert _rotated("2027-01-15T08:00:00Z").rotated_at == _rotated("2027-01-15T11:00:00+03:00").rotated_at
    assert _rotated(ROTATED).rotated_at == ROTATED


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("", "empty"),
        ("{not json", "does not parse"),
        (json.dumps({"previous_client_secret": OLD}), "no client_secret"),
        (json.dumps({"client_secret": NEW, "previous_client_secret": OLD}), "needs rotated_at"),
        (json.dumps({"client_secret": NEW, "previous_client_secret": OLD, "rotated_at": "2027-01-15"}), "zone"),
        (json.dumps({"client_secret": NEW, "previous_client_secret": OLD, "rotated_at": "yesterday"}), "ISO 8601"),
    ],
)
def test_a_malformed_secret_fails_loudly_with_what_to_fix(raw, says):
    with pytest.raises(ValueError, match=says):
        ClientSecrets.parse(raw)


def test_a_signature_names_its_key_and_verifies_only_with_that_secret():
    rule = '{"a":1}'
    signature = sign(NEW, 7, rule)
    assert signature_key_id(signature) == key_id(NEW)
    assert verified_rule([OLD, NEW], 7, rule, signature) == rule
    assert verified_rule([OLD], 7, rule, signature) is None
    forged = f"{key_id(NEW)}.{sign(OLD, 7, rule).split('.')[1]}"  # right key id, wrong secret
    assert verified_rule([OLD, NEW], 7, rule, forged) is None
    bare = sign(OLD, 7, rule).split(".")[1]  # made before key ids: every secret is tried
    assert verified_rule([NEW, OLD], 7, rule, bare) == rule


def _hook(signature: str, rule: str = '{"a":1}') -> DpHook:
    return DpHook(
        account_id=7,
        subdomain="demo",
        lead_id=1,
        pipeline_id=2,
        status_id=3,
        event_time=ROTATED,
        event_type="lead_appeared_in_status",
        rule=rule,
        signature=signature,
    )


def test_a_hook_signed_with_the_previous_secret_runs_in_the_window_and_is_refused_as_retired_after():
    secrets = _rotated(ROTATED)
    old_hook = _hook(sign(OLD, 7, '{"a":1}'))
    assert verified(old_hook, secrets, ROTATED + DAY) == '{"a":1}'
    metrics.clear_metrics()
    with pytest.raises(HookKeyRetired) as refused:
        verified(old_hook, secrets, ROTATED + 31 * DAY)
    assert refused.value.code == "signature-key-retired"
    assert metrics.metric_set["RetiredKeyHooks"]["Value"] == [1.0]  # what RetiredKeyHooksAlarm counts
    metrics.clear_metrics()
    assert verified(_hook(sign(NEW, 7, '{"a":1}')), secrets, ROTATED + 31 * DAY) == '{"a":1}'
    with pytest.raises(HookUnauthorized) as forged:  # a secret we never had is a forgery, not a retired key
        verified(_hook(sign("someone-elses", 7, '{"a":1}')), secrets, ROTATED + DAY)
    assert forged.value.code == "bad-signature"


def test_the_uninstall_hook_accepts_every_secret_given_and_no_other():
    params = {"client_uuid": "client-1", "account_id": "42"}
    old = {**params, "signature": uninstall_signature(OLD, "client-1", "42")}
    assert verify_uninstall(old, "client-1", NEW, OLD) == 42
    with pytest.raises(UninstallRejected):
        verify_uninstall(old, "client-1", NEW)


def _token(secret: str) -> str:
    now = int(time.time())
    claims = {
        "iss": "https://demo.amocrm.ru",
        "aud": "https://api.example",
        "jti": "jti-1",
        "iat": now,
        "nbf": now,
        "exp": now + 600,
        "account_id": 42,
        "user_id": 5,
        "client_uuid": "client-1",
    }
    return jwt.encode(claims, secret, algorithm="HS256")


def test_one_time_tokens_made_with_the_previous_secret_count_while_it_is_accepted():
    token = _token(OLD)
    assert verify(token, secret=(NEW, OLD), audience="https://api.example", client_id="client-1")["account_id"] == 42
    with pytest.raises(TokenRejected, match="invalid token"):
        verify(token, secret=(NEW,), audience="https://api.example", client_id="client-1")


def test_a_signing_record_tells_whether_the_rule_needs_re_signing():
    secrets = _rotated(ROTATED)
    assert secrets.signed_with_old_key(key_id(OLD), ROTATED + DAY)
    assert not secrets.signed_with_old_key(key_id(NEW), ROTATED - DAY)
    assert secrets.signed_with_old_key(None, ROTATED - 1)  # recorded before key ids, before the rotation
    assert not secrets.signed_with_old_key(None, ROTATED + 1)
