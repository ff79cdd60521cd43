"""`sign_dp_rule`: the widget's DP settings get a rule checked against the account and signed for it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dealcopy.copying.action_kind import is_write_back
from dealcopy.copying.rules import canonical_rule, rule_hash
from dealcopy.copying.write_back import canonical_write_back, parse_write_back, validate_write_back
from dealcopy.dp.signing import sign
from dealcopy.usecases.requests import RuleSource

if TYPE_CHECKING:
    from collections.abc import Callable

    from dealcopy.accounts import Account
    from dealcopy.auth.client_secrets import ClientSecrets
    from dealcopy.auth.one_time_token import WidgetCaller
    from dealcopy.storage.signatures import SignatureRepository
    from dealcopy.usecases.rules import RuleBook


class SignRequest(RuleSource):
    """A DP rule to validate and sign for the caller's account: its own (an object or its JSON), or a preset."""

    rule: dict[str, Any] | str | None = None  # type: ignore[assignment]  # the DP settings may hold the JSON


def sign_dp_rule(
    account: Account,
    caller: WidgetCaller,
    request: SignRequest,
    *,
    rules: RuleBook,
    signatures: SignatureRepository,
    client_secrets: Callable[[], ClientSecrets],
) -> dict[str, str]:
    """Validate a DP rule and sign it for this account; the widget stores both strings in the DP settings.

    Only an admin may (the edge refuses others before it reads the body). A preset is resolved
    with its overrides as a copy resolves it (its locks hold) and signed as the rule it makes.
    Always signed with the current client secret: re-saving a DP action after a rotation moves it
    to the new key, and the record names the key (`python -m tools.admin rules old-key` lists rules
    still on an older one).
    """
    assert caller.is_admin
    if is_write_back(request.rule):  # «Обновить исходную сделку»: signed the same way
        assert request.rule is not None
        action = parse_write_back(request.rule)
        validate_write_back(action, rules.engine.metadata())
        canonical = canonical_write_back(action)
    else:
        raw = request.rule if isinstance(request.rule, str) else rules.raw(request)
        canonical = canonical_rule(rules.strict(raw))
    secrets = client_secrets()
    signatures.record(account.account_id, rule_hash(canonical), caller.user_id, key_id=secrets.current_key_id)
    return {"rule": canonical, "signature": sign(secrets.current, account.account_id, canonical)}
