"""`settings_lookup`: what the widget needs to draw its forms (account metadata, presets, licence)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dealcopy.licence import Licence, licence_of

if TYPE_CHECKING:
    from collections.abc import Mapping

    from dealcopy.accounts import Account
    from dealcopy.copying.metadata import AccountMetadata
    from dealcopy.storage.presets import Preset
    from dealcopy.usecases.rules import RuleBook


@dataclass(frozen=True)
class AccountSettings:
    metadata: AccountMetadata
    presets: list[Preset]
    licence: Licence
    refused: Mapping[int, str] = field(default_factory=dict)  # fields amoCRM refused before (`refusals`)


def settings_lookup(account: Account, *, rules: RuleBook, viewer: int | None = None) -> AccountSettings:
    """`viewer` sees the shared presets and their own personal ones (None: every preset)."""
    metadata = rules.engine.metadata()
    refused = rules.engine.refusals.get(rules.engine.account_key)
    presets = [p for p in rules.presets.list(account.account_id) if viewer is None or p.visible_to(viewer)]
    return AccountSettings(metadata, presets, licence_of(account), refused)
