"""Per-field notes of the widget's field tree: what amoCRM never writes and what an anonymised copy drops.

The tree must tell the truth before anything is copied: a field amoCRM
refuses for this account is «не копируется», a field the anonymised mode drops is unticked and
disabled with its reason, and the counters count only what will really be carried.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dealcopy.copying.anonymise import field_reasons
from dealcopy.copying.metadata import AccountMetadata
from dealcopy.copying.refusals import not_writable
from dealcopy.messages import text


@dataclass(frozen=True)
class FieldNotes:
    not_writable: dict[int, str]
    anonymise: dict[int, str]

    def of(self, field_id: int) -> dict[str, Any]:
        """The JSON keys one field of the settings lookup gets (absent when nothing applies)."""
        out: dict[str, Any] = {}
        for key, codes in (("not_writable", self.not_writable), ("anonymise_reason", self.anonymise)):
            code = codes.get(field_id)
            if code:
                out[key] = code
                out[f"{key}_ru"] = text(code, "ru")
                out[f"{key}_en"] = text(code, "en")
        return out


def field_notes(metadata: AccountMetadata, refused: Mapping[int, str]) -> FieldNotes:
    return FieldNotes(not_writable=not_writable(metadata, refused), anonymise=field_reasons(metadata))
