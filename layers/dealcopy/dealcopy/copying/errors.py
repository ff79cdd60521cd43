"""Why a copy could not be made: typed, bilingual, safe to show to the user.

Every error carries `code` (stable, machine-readable) plus `message_ru`/`message_en`,
so the HTTP layer and the DP worker can report it without knowing the details.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class CopyError(Exception):
    """Base of every expected copy failure."""

    code = "copy_error"

    def __init__(self, message_ru: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_ru = message_ru
        self.message_en = message_en

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message_ru": self.message_ru, "message_en": self.message_en}


@dataclass(frozen=True)
class RuleProblem:
    """One problem of a copy rule, located by a field path such as `fields[2]`.

    `stale` marks references to fields/catalogs that no longer exist: a saved rule with
    them still runs (the copy skips and reports them), but a rule being saved is refused.
    """

    path: str
    message_ru: str
    message_en: str
    stale: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "message_ru": self.message_ru, "message_en": self.message_en, "stale": self.stale}


class RuleInvalid(CopyError):
    """The rule cannot be used (unknown pipeline/status/user, bad template, ...)."""

    code = "rule_invalid"

    def __init__(self, problems: list[RuleProblem]) -> None:
        self.problems = list(problems)
        super().__init__(
            "Настройки копирования неверны: " + "; ".join(f"{p.path}: {p.message_ru}" for p in self.problems),
            "The copy rule is invalid: " + "; ".join(f"{p.path}: {p.message_en}" for p in self.problems),
        )

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "problems": [p.as_dict() for p in self.problems]}


class SourceNotFound(CopyError):
    """The source lead does not exist (or is deleted): amoCRM answered 204/404."""

    code = "source_not_found"

    def __init__(self, lead_id: int) -> None:
        self.lead_id = lead_id
        super().__init__(f"Сделка #{lead_id} не найдена", f"Lead #{lead_id} was not found")


class CopyForbidden(CopyError):
    """The acting user may not read the source or add leads into the target stage."""

    code = "forbidden"

    def __init__(self, reason_ru: str, reason_en: str) -> None:
        super().__init__(reason_ru, reason_en)
        self.reason_ru = reason_ru
        self.reason_en = reason_en


class ResponsibleUnavailable(CopyError):
    """The responsible user the rule resolves to is unknown or deactivated (never silently replaced)."""

    code = "responsible_unavailable"

    def __init__(self, user_id: int | None, message_ru: str, message_en: str) -> None:
        super().__init__(message_ru, message_en)
        self.user_id = user_id


@dataclass(frozen=True)
class RejectionIssue:
    """One amoCRM validation issue of a rejected create, in the plan's own terms."""

    path: str
    code: str
    detail: str


class CopyRejected(CopyError):
    """amoCRM refused to create this copy for a reason other than a droppable field.

    `cause` is the original `AmoValidationError` (of the whole batch); `issues` are the
    ones that belong to this copy.
    """

    code = "rejected"

    def __init__(self, source_id: int, issues: list[RejectionIssue], cause: BaseException | None = None) -> None:
        self.source_id = source_id
        self.issues = list(issues)
        self.cause = cause
        details = "; ".join(f"{i.path or '-'}: {i.detail or i.code}" for i in self.issues) or "-"
        super().__init__(
            f"amoCRM отклонил создание копии сделки #{source_id}: {details}",
            f"amoCRM rejected the copy of lead #{source_id}: {details}",
        )

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "issues": [vars(i) for i in self.issues]}


class CopyIncomplete(CopyError):
    """The copy exists but a later step (links or notes) failed for a transient reason.

    The job layer must not create it again: it resumes with `lead_id` from `step`.
    """

    code = "incomplete"

    def __init__(self, source_id: int, lead_id: int, step: str, cause: BaseException | None = None) -> None:
        self.source_id = source_id
        self.lead_id = lead_id
        self.step = step
        self.cause = cause
        super().__init__(
            f"Копия #{lead_id} создана, но шаг «{step}» не выполнен: {cause}",
            f"Copy #{lead_id} was created but step '{step}' failed: {cause}",
        )
