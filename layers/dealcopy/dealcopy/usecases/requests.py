"""What the widget sends: the request models of every route, in one place.

Each is checked by pydantic at the edge (`web.session.parse_body` answers 400 with paths).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from dealcopy.ids import MAX_AMO_ID
from dealcopy.storage.presets import PRESET_ID_PATTERN

AmoId = Annotated[int, Field(ge=1, le=MAX_AMO_ID)]
"""An id in a request model: a positive integer (or its decimal text) up to 2**53."""

MAX_LEADS = 250  # a bulk copy's limit (amoCRM's lead list selects at most 250 at a time)


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


class BulkRequest(RuleChoice):
    """The lead list's mass action: one rule for up to 250 leads."""

    lead_ids: list[AmoId] = Field(min_length=1, max_length=MAX_LEADS)
    confirm_again: bool = False
    """The person saw «already copied N of M» and asked for more copies anyway."""


class SignRequest(RuleSource):
    """A DP rule to validate and sign for the caller's account: its own (an object or its JSON), or a preset."""

    rule: dict[str, Any] | str | None = None  # type: ignore[assignment]  # the DP settings may hold the JSON
