"""Why a copy could not be made: typed, with a stable code, worded by the message catalog.

Every error is a `DomainError` (`code` + `data`); `message_ru`/`message_en` and `as_dict()`
are read from the catalog, so the HTTP edge and the DP worker report it without knowing the
details. The class's `code` is what programs and job records keep (`forbidden`); a `wording`
code may say it more precisely for people (`may-not-view-lead`), with the same `data`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from dealcopy.errors import DomainError
from dealcopy.messages import CATALOG, Localized, text


class CopyError(DomainError):
    """Base of every expected copy failure."""

    code = "copy_error"

    def __init__(self, code: str | None = None, /, *, wording: str | None = None, **data: Any) -> None:
        super().__init__(code, **data)
        self.wording = wording

    def message(self, lang: str) -> str:
        return text(self.wording or self.code, lang, **self.data)

    @property
    def message_ru(self) -> str:
        return self.message("ru")

    @property
    def message_en(self) -> str:
        return self.message("en")

    def details(self) -> dict[str, Any]:
        return {}

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message_ru": self.message_ru, "message_en": self.message_en}

    def __str__(self) -> str:
        return self.message_en


class RuleProblem:
    """One problem of a copy rule, located by a field path such as `fields[2]`.

    `RuleProblem(path, code, stale=..., **data)`: `code` keys the message catalog, `data` fills
    it. `stale` marks references to fields/catalogs that no longer exist: a saved rule with
    them still runs (the copy skips and reports them), but a rule being saved is refused.
    """

    __slots__ = ("code", "data", "path", "stale")

    def __init__(self, path: str, code: str, /, *, stale: bool = False, **data: Any) -> None:
        self.path = path
        self.stale = stale
        self.code, self.data = code, data

    def message(self, lang: str) -> str:
        return text(self.code, lang, **self.data)

    @property
    def message_ru(self) -> str:
        return self.message("ru")

    @property
    def message_en(self) -> str:
        return self.message("en")

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "code": self.code,
            "message_ru": self.message_ru,
            "message_en": self.message_en,
            "stale": self.stale,
        }

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RuleProblem) and self.as_dict() == other.as_dict()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"RuleProblem({self.path!r}, {self.code!r}, stale={self.stale})"


# Problems whose words already say what they are about (the copy's name): listed without a label.
_NAMES_ITS_SUBJECT = frozenset(
    {"template-syntax", "template-unknown-placeholder", "rule-empty-name-template", "rule-anonymised-name"}
)


def _listed(problem: RuleProblem, lang: str) -> str:
    """One problem in a manager's words: `Этап: …` for a known setting; a path is for support only
    (it stays in `errors[]`, which the widget folds under «подробнее»)."""
    message = problem.message_en if lang == "en" else problem.message_ru
    top = re.split(r"[.\[]", (problem.path or "").removeprefix("rule."), maxsplit=1)[0]
    if not top or problem.code in _NAMES_ITS_SUBJECT or f"rule-path-{top}" not in CATALOG:
        return message
    return f"{text(f'rule-path-{top}', lang)}: {message}"


def listing(problems: list[RuleProblem]) -> Localized:
    """`Setting: message; …` in both languages (the words of an invalid rule or request)."""
    return Localized(*("; ".join(_listed(p, lang) for p in problems) for lang in ("ru", "en")))


class RuleInvalid(CopyError):
    """The rule cannot be used (unknown pipeline/status/user, bad template, ...)."""

    code = "rule_invalid"

    def __init__(self, problems: list[RuleProblem]) -> None:
        self.problems = list(problems)
        super().__init__(problems=listing(self.problems))

    def details(self) -> dict[str, Any]:
        return {"errors": [p.as_dict() for p in self.problems]}

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "problems": [p.as_dict() for p in self.problems]}


class SourceNotFound(CopyError):
    """The source lead does not exist (or is deleted): amoCRM answered 204/404."""

    code = "source_not_found"

    def __init__(self, lead_id: int) -> None:
        self.lead_id = lead_id
        super().__init__(lead_id=lead_id)


class CopyForbidden(CopyError):
    """The acting user may not read the source or add leads into the target stage.

    `CopyForbidden(wording, **data)`: the code stays `forbidden`; `wording` says which right.
    """

    code = "forbidden"

    def __init__(self, wording: str | None = None, /, **data: Any) -> None:
        super().__init__(wording=wording, **data)

    @property
    def reason_ru(self) -> str:
        return self.message_ru

    @property
    def reason_en(self) -> str:
        return self.message_en


class ResponsibleUnavailable(CopyError):
    """The responsible user the rule resolves to is unknown or deactivated (never silently replaced).

    `ResponsibleUnavailable(user_id, wording, **data)`: the code stays `responsible_unavailable`.
    """

    code = "responsible_unavailable"

    def __init__(self, user_id: int | None, wording: str | None = None, /, **data: Any) -> None:
        self.user_id = user_id
        super().__init__(wording=wording, user_id=user_id, **data)


@dataclass(frozen=True)
class RejectionIssue:
    """One amoCRM validation issue of a rejected create, in the plan's own terms."""

    path: str
    code: str
    detail: str


def _issue_list(issues: list[RejectionIssue], lang: str) -> str:
    """amoCRM's issues worded in `lang` (its English details never reach a Russian screen)."""
    from dealcopy.messages.amo_codes import localize

    return "; ".join(f"{i.path or '-'}: {localize(i.code, i.detail, lang)}" for i in issues) or "-"


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
        details = Localized(*(_issue_list(self.issues, lang) for lang in ("ru", "en")))
        super().__init__(source_id=source_id, details=details)

    def details(self) -> dict[str, Any]:
        return {"issues": [vars(i) for i in self.issues]}

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "issues": [vars(i) for i in self.issues]}
