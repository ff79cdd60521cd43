"""`settings_lookup`: what the widget needs to draw its forms (account metadata, presets, licence).

Opening the settings is when a person looks: the metadata is reloaded when older than
`OPEN_MAX_AGE` (a field added a minute ago is offered), and with it the account's time zone
is read again (`keep_zone`), so the times the widget shows follow a change in amoCRM.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dealcopy.licence import Licence, licence_of

if TYPE_CHECKING:
    from collections.abc import Mapping

    from dealcopy.accounts import Account
    from dealcopy.copying.metadata import AccountMetadata
    from dealcopy.storage.presets import Preset
    from dealcopy.usecases.rules import RuleBook

OPEN_MAX_AGE = 10.0  # seconds: the widget's own calls right after an open share one load


@dataclass(frozen=True)
class AccountSettings:
    metadata: AccountMetadata
    presets: list[Preset]
    licence: Licence
    refused: Mapping[int, str] = field(default_factory=dict)  # fields amoCRM refused before (`refusals`)
    account: Account | None = None  # the account as it is now (its zone just read)


def settings_lookup(
    account: Account,
    *,
    rules: RuleBook,
    viewer: int | None = None,
    keep_zone: Callable[[Account], Account] | None = None,
) -> AccountSettings:
    """`viewer` sees the shared presets and their own personal ones (None: every preset)."""
    from dealcopy.copying.metadata import load_metadata

    engine = rules.engine
    before = engine.cache.peek(engine.account_key)
    metadata = engine.cache.get(engine.account_key, lambda: load_metadata(engine.api), max_age=OPEN_MAX_AGE)
    if keep_zone is not None and (metadata is not before or account.timezone is None):
        account = keep_zone(account)
    refused = engine.refusals.get(engine.account_key)
    presets = [p for p in rules.presets.list(account.account_id) if viewer is None or p.visible_to(viewer)]
    return AccountSettings(metadata, presets, licence_of(account), refused, account)
