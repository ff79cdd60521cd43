"""Signed DP rules: what proves that a Digital Pipeline hook comes from a rule our widget configured.

amoCRM's DP hook carries no signature of its own (facts file: U), only the values of the
widget's DP settings inputs. So the backend normalises a rule, serialises it canonically and
signs that string with a key of the account; the widget stores both strings in the inputs
`rule` and `signature`, and amoCRM sends them back in every hook. A hook is accepted only if
the signature matches the rule string for the hook's `account_id`, so a rule signed for one
account is useless in another, and nobody without our client secret can forge one.

Key: HMAC-SHA256(client_secret, "dp-rule|{account_id}"); signature: "{key id}.{hex HMAC-SHA256(key, rule)}",
the key id naming the client secret it was made with (`auth.client_secrets.key_id`), so that after
a rotation a rule signed with the previous secret is told apart from a forged one. Signatures made
before key ids (the bare hex) are checked against every secret we hold.
The canonical rule text itself is `copying.rules.canonical_rule`.
"""

from __future__ import annotations

import hashlib
import hmac
import html
from collections.abc import Iterable

from dealcopy.auth.client_secrets import key_id

_HEX_CHARS = 64


def account_key(client_secret: str, account_id: int) -> bytes:
    return hmac.new(client_secret.encode("utf-8"), f"dp-rule|{account_id}".encode(), hashlib.sha256).digest()


def _mac(client_secret: str, account_id: int, canonical: str) -> str:
    return hmac.new(account_key(client_secret, account_id), canonical.encode("utf-8"), hashlib.sha256).hexdigest()


def sign(client_secret: str, account_id: int, canonical: str) -> str:
    return f"{key_id(client_secret)}.{_mac(client_secret, account_id, canonical)}"


def signature_key_id(signature: str) -> str | None:
    """The key id a signature names (None for the bare hex of signatures made before key ids)."""
    head, dot, _ = signature.strip().partition(".")
    return head.lower() if dot else None


def verified_rule(secrets: str | Iterable[str], account_id: int, rule: str, signature: str) -> str | None:
    """The rule string the signature covers, if one of `secrets` made it; else None.

    Only the secrets the signature's key id names are tried (all of them for a bare signature).
    Also tried: the HTML-unescaped string, in case amoCRM stores settings values escaped
    (`&quot;`); that behaviour is undocumented (U), and unescaping cannot forge anything
    because the signature must still match the result.
    """
    named = signature_key_id(signature)
    mac = signature.strip().rpartition(".")[2].lower()
    if len(mac) != _HEX_CHARS:
        return None
    # Compared as bytes: `compare_digest` on a str with non-ASCII characters raises TypeError.
    given = mac.encode("utf-8", "surrogatepass")
    for secret in (secrets,) if isinstance(secrets, str) else secrets:
        if named is not None and key_id(secret) != named:
            continue
        for candidate in dict.fromkeys([rule, html.unescape(rule)]):
            try:
                expected = _mac(secret, account_id, candidate).encode()
            except UnicodeEncodeError:  # a lone surrogate in the rule: nothing we signed
                continue
            if hmac.compare_digest(expected, given):
                return candidate
    return None
