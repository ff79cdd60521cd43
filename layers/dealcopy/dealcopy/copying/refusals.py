"""Fields amoCRM will not write for an account, learnt from its first refusal and never tried again.

amoCRM does not say in the field metadata which fields the API refuses (facts file: U; the
`is_api_only` flag means the opposite: editable *only* through the API). So a refusal of a
whole field (`custom_fields_values.{i}.field_id`, or the item itself) is remembered per
account, with the field's type: the copy that met the refusal reports it (amoCRM does not say
whether the field is read-only or was just deleted), and every later copy leaves the field out
as «не копируется» (`not_writable`, not a failure) instead of sending it, failing and retrying.
A deleted field simply disappears from the metadata and is reported as deleted. A refusal of a value
(`custom_fields_values.{i}.values.{j}...`) is about that value, so it is not remembered.
If the field later changes type it is tried again.

`RefusedFields` keeps the refusals in process memory (like the metadata cache) in front of a
`RefusalStore`, which the composition root backs with a database; the domain never sees it.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

from dealcopy.copying.fields import WRITERS
from dealcopy.copying.metadata import AccountMetadata
from dealcopy.copying.result import Skip, worded

NOT_WRITABLE = "field-not-writable"
_WHOLE_FIELD = re.compile(r"^custom_fields_values(?:\.|\[)(\d+)\]?(?:\.(?:field_id|field_code))?$")


class RefusalStore(Protocol):
    """Persistence of refused fields: `{field_id: field_type}` per account key."""

    def load(self, account_key: str) -> Mapping[int, str]: ...

    def add(self, account_key: str, refused: Mapping[int, str]) -> None: ...


class MemoryRefusalStore:
    """A `RefusalStore` for one process (tests, local runs)."""

    def __init__(self) -> None:
        self._data: dict[str, dict[int, str]] = {}

    def load(self, account_key: str) -> Mapping[int, str]:
        return dict(self._data.get(account_key, {}))

    def add(self, account_key: str, refused: Mapping[int, str]) -> None:
        self._data.setdefault(account_key, {}).update(refused)


class RefusedFields:
    """Refused fields per account: loaded once per process from the store, added to as amoCRM refuses."""

    def __init__(self, store: RefusalStore | None = None) -> None:
        self.store = store if store is not None else MemoryRefusalStore()
        self._known: dict[str, dict[int, str]] = {}
        self._guard = threading.Lock()

    def get(self, account_key: str) -> Mapping[int, str]:
        with self._guard:
            known = self._known.get(account_key)
        if known is None:
            known = dict(self.store.load(account_key))
            with self._guard:
                known = self._known.setdefault(account_key, known)
        return dict(known)

    def remember(self, account_key: str, refused: Mapping[int, str]) -> None:
        """Record fields amoCRM refused; writes the store only when something is new."""
        known = self.get(account_key)
        new = {fid: ftype for fid, ftype in refused.items() if known.get(fid) != ftype}
        if not new:
            return
        self.store.add(account_key, new)
        with self._guard:
            self._known.setdefault(account_key, {}).update(new)


def whole_field_indexes(paths: Iterable[str]) -> set[int]:
    """Indexes into `custom_fields_values` whose field as a whole was refused (not one of its values)."""
    return {int(m.group(1)) for path in paths if (m := _WHOLE_FIELD.match(path))}


def not_writable(metadata: AccountMetadata, refused: Mapping[int, str]) -> dict[int, str]:
    """`{field_id: "field-not-writable"}` for lead fields amoCRM will not write in this account.

    Known from the remembered refusals (still the same type) and from the metadata: a type
    the engine has no writer for. For the widget's tree («не копируется», before copying).
    """
    return {
        fid: NOT_WRITABLE
        for fid, field in metadata.fields.items()
        if field.type not in WRITERS or refused.get(fid) == field.type
    }


def not_writable_skip(ref: int, name: str | None) -> Skip:
    return worded("field", "not_writable", NOT_WRITABLE, ref, name)


def refused_during(plans: Sequence[Any], outcomes: Sequence[Any]) -> dict[int, str]:
    """`{field_id: type}` of the whole fields amoCRM refused while creating `plans` (to remember them).

    `outcomes` are aligned with `plans`; a created copy's plan carries the refusals (tagged
    `field-not-writable` by `CopyPlan.without_fields`), the plan as sent the fields' types.
    """
    refused: dict[int, str] = {}
    for sent, outcome in zip(plans, outcomes, strict=True):
        after = getattr(outcome, "plan", None)
        if after is None:
            continue
        types = {f.id: f.type for f in sent.copied.fields}
        refused |= {s.ref: types[s.ref] for s in after.skipped if s.reason == NOT_WRITABLE and s.ref in types}
    return refused


default_refusals = RefusedFields()
