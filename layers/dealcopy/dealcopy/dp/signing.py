"""Signed DP rules: what proves that a Digital Pipeline hook comes from a rule our widget configured.

amoCRM's DP hook carries no signature of its own (facts file: U), only the values of the
widget's DP settings inputs. So the backend normalises a rule, serialises it canonically and
signs that string with a key of the account; the widget stores both strings in the inputs
`rule` and `signature`, and amoCRM sends them back in every hook. A hook is accepted only if
the signature matches the rule string for the hook's `account_id`, so a rule signed for one
account is useless in another, and nobody without our client secret can forge one.

Key: HMAC-SHA256(client_secret, "dp-rule|{account_id}"); signature: hex HMAC-SHA256(key, rule).
The canonical rule text itself is `copying.rules.canonical_rule`.
"""

from __future__ import annotations

import hashlib
import hmac
import html


def account_key(client_secret: str, account_id: int) -> bytes:
    return hmac.new(client_secret.encode("utf-8"), f"dp-rule|{account_id}".encode(), hashlib.sha256).digest()


def sign(client_secret: str, account_id: int, canonical: str) -> str:
    return hmac.new(account_key(client_secret, account_id), canonical.encode("utf-8"), hashlib.sha256).hexdigest()


def verified_rule(client_secret: str, account_id: int, rule: str, signature: str) -> str | None:
    """The rule string the signature covers, or None.

    Also tried: the HTML-unescaped string, in case amoCRM stores settings values escaped
    (`&quot;`); that behaviour is undocumented (U), and unescaping cannot forge anything
    because the signature must still match the result.
    """
    # Compared as bytes: `compare_digest` on a str with non-ASCII characters raises TypeError.
    given = signature.strip().lower().encode("utf-8", "surrogatepass")
    for candidate in dict.fromkeys([rule, html.unescape(rule)]):
        try:
            expected = sign(client_secret, account_id, candidate).encode()
        except UnicodeEncodeError:  # a lone surrogate in the rule: nothing we signed
            continue
        if hmac.compare_digest(expected, given):
            return candidate
    return None
