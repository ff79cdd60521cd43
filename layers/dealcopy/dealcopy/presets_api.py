"""Request shapes and checks of the presets routes."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from dealcopy.storage.presets import PRESET_ID_PATTERN, Preset
from dealcopy.web.failures import BadPresetId, PresetNotFound

if TYPE_CHECKING:
    from dealcopy.copying.rules import CopyRule

Found = TypeVar("Found")


class PresetBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    rule: dict[str, Any]
    personal: StrictBool = False  # an admin's own preset (a manager's always is)
    locked: list[str] = Field(default_factory=list, max_length=50)  # rule fields overrides may not change

    def to_preset(self, preset_id: str, rule: CopyRule, user_id: int, owner: int | None) -> Preset:
        return Preset(
            preset_id=valid_preset_id(preset_id),
            name=self.name.strip(),
            rule=rule.model_dump(mode="json"),
            updated_by=user_id,
            owner_user_id=owner,
            locked=list(dict.fromkeys(self.locked)),
        )


def valid_preset_id(preset_id: str) -> str:
    if not re.fullmatch(PRESET_ID_PATTERN, preset_id):
        raise BadPresetId()
    return preset_id


def preset_id_or_404(found: Found | None, preset_id: str) -> Found:
    if found is None:
        raise PresetNotFound(preset_id)
    return found
