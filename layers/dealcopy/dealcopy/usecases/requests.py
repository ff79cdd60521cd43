"""What the widget sends to choose a rule, and the manual copy's request.

Checked by pydantic at the edge (`web.body.parse_body` answers 400 with paths). The bulk and DP-signing
requests extend these beside their use cases (`usecases.bulk`, `usecases.signing`): a function's import
builds only the request models its routes read.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from dealcopy.ids import MAX_AMO_ID
from dealcopy.storage.presets import PRESET_ID_PATTERN

AmoId = Annotated[int, Field(ge=1, le=MAX_AMO_ID)]
"""An id in a request model: a positive integer (or its decimal text) up to 2**53."""


class RuleSource(BaseModel):
    """`rule`, or `preset_id` plus optional `overrides` (resolved by `usecases.rules.RuleBook`)."""

    model_config = ConfigDict(extra="forbid")

    rule: dict[str, Any] | None = None
    preset_id: str | None = Field(default=None, pattern=PRESET_ID_PATTERN)
    overrides: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _one_rule_source(self) -> RuleSource:
        if (self.rule is None) == (self.preset_id is None):
            raise ValueError("give exactly one of `rule` or `preset_id`")
        return self


class RuleChoice(RuleSource):
    """A rule source and a key that makes a retry return the same answer."""

    idempotency_key: str = Field(min_length=8, max_length=128, pattern=r"^[A-Za-z0-9_.:-]+$")


class CopyRequest(RuleChoice):
    """One manual copy from the lead card."""

    lead_id: AmoId
