"""Expected failures of schedules: a stable code and data, words in `messages/schedules.py`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dealcopy.copying.errors import RuleProblem
from dealcopy.errors import DomainError


class ScheduleInvalid(DomainError):
    """A delay or repeat request that cannot be scheduled; `problems` locate each fault by path."""

    code = "schedule-invalid"

    def __init__(self, problems: Sequence[RuleProblem]) -> None:
        self.problems = list(problems)
        super().__init__(paths=", ".join(p.path for p in self.problems))

    def details(self) -> dict[str, Any]:
        """Each problem by its path, in the shape `RuleInvalid` answers with (the widget reads `errors`)."""
        return {"paths": self.data["paths"], "errors": [p.as_dict() for p in self.problems]}


class RepeatNotFound(DomainError):
    code = "repeat-not-found"


class ScheduledCopyNotFound(DomainError):
    code = "scheduled-copy-not-found"


class ScheduledCopyFiring(DomainError):
    """A cancel came after the copy's due time claimed it: the copy is being made, not cancelled."""

    code = "scheduled-copy-firing"


class IdempotencyKeyReused(DomainError):
    """The same idempotency key came with another request body."""

    code = "idempotency-key-reused"
