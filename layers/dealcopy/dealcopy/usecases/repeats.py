"""Repeats and pending delayed copies, as the widget sees them: set up, list, change, cancel.

The request bodies are parsed by the schedules models (`ScheduleInvalid`: 400 with a path per
problem); a repeat's rule is checked against the account where it is set up, like a preset
(`RuleInvalid` with `rule.` paths), so a bad repeat is refused before anything is scheduled.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import TYPE_CHECKING, Any

from dealcopy.copying.errors import RuleInvalid
from dealcopy.copying.rules import CopyRule, parse_rule
from dealcopy.messages import text
from dealcopy.records.repeat_calendar import RepeatChange, RepeatRequest, parse
from dealcopy.schedules.repeats import DISCONNECTED, RESUMABLE, UNINSTALLED

if TYPE_CHECKING:
    from dealcopy.records.schedule import PendingCopy, Repeat
    from dealcopy.schedules.delayed import DelayedCopies
    from dealcopy.schedules.repeats import Repeats
    from dealcopy.usecases.rules import RuleBook


def create_repeat(
    body: str, account_id: int, user_id: int, *, repeats: Repeats, rules: RuleBook, now: datetime, lang: str = "ru"
) -> tuple[dict[str, Any], bool]:
    """Store and arm a repeat; (its view, whether it is new). The same key again answers the first one.

    Its times are in the request's `timezone`, else the rule's, else the account's (the copy engine's).
    """
    request = parse(RepeatRequest, body)
    rule = _checked_rule(request, rules)
    zone = rule.timezone or rules.engine.timezone
    repeat, created = repeats.create(account_id, request, timezone=zone, now=now, user_id=user_id)
    return repeat_view(repeat, lang), created


def _checked_rule(request: RepeatRequest, rules: RuleBook) -> CopyRule:
    """The request's own rule checked strictly (like a preset being saved), or the preset's as it runs.

    Overrides that change a field the preset locks are refused here, when someone can still see why.
    """
    if request.rule is not None:
        try:
            return rules.strict(request.rule)
        except RuleInvalid as err:
            for problem in err.problems:
                problem.path = f"rule.{problem.path}" if problem.path else "rule"
            raise
    return rules.runnable(request, missing="repeat-preset-not-found")


def list_repeats(account_id: int, lead_id: int | None, *, repeats: Repeats, lang: str = "ru") -> dict[str, Any]:
    return {"repeats": [repeat_view(r, lang) for r in repeats.list(account_id, lead_id)]}


def change_repeat(
    body: str, account_id: int, repeat_id: str, *, repeats: Repeats, now: datetime, lang: str = "ru"
) -> dict[str, Any]:
    """Pause, resume and/or a new calendar (`RepeatChange`); the next occurrence is re-armed from now."""
    change = parse(RepeatChange, body)
    return repeat_view(repeats.change(account_id, repeat_id, change, now), lang)


def delete_repeat(account_id: int, repeat_id: str, *, repeats: Repeats) -> None:
    repeats.delete(account_id, repeat_id)


def list_scheduled(account_id: int, lead_id: int | None, *, delayed: DelayedCopies) -> dict[str, Any]:
    return {"scheduled": [pending_view(p) for p in delayed.pending(account_id, lead_id)]}


def cancel_scheduled(account_id: int, pending_id: str, *, delayed: DelayedCopies) -> None:
    delayed.cancel(account_id, pending_id)


def repeat_view(repeat: Repeat, lang: str = "ru") -> dict[str, Any]:
    """What the widget shows of a repeat (no personal data: ids, the calendar, the state)."""
    view = repeat.model_dump(
        mode="json", include={"repeat_id", "lead_id", "preset_id", "overrides", "schedule", "state", "next_n"}
    )
    view.update(
        next_at=_iso(repeat.next_at),
        last_fired_at=_iso(repeat.last_fired_at),
        fired=repeat.fired,
        rule=None if repeat.rule is None else parse_rule(repeat.rule).model_dump(mode="json", exclude={"delay"}),
        stop_code=repeat.stop_code,
        stop_reason=text(_STOP_WORDS.get(repeat.stop_code, repeat.stop_code), lang) if repeat.stop_code else None,
        actions=_actions(repeat),
    )
    return view


_STOP_WORDS = {UNINSTALLED: "repeat-uninstalled", DISCONNECTED: "repeat-disconnected"}


def _actions(repeat: Repeat) -> list[str]:
    """What a person may do with the repeat now (`resume`: `PATCH {"paused": false}`)."""
    state = repeat.state.value
    if state == "active":
        return ["pause", "change", "delete"]
    if state == "paused" or (state == "stopped" and repeat.stop_code in RESUMABLE):
        return ["resume", "change", "delete"]
    return ["delete"]


def pending_view(pending: PendingCopy) -> dict[str, Any]:
    return {
        "pending_id": pending.pending_id,
        "lead_id": pending.lead_id,
        "due_at": _iso(pending.due_at),
        "timezone": pending.timezone,
        "delay": pending.delay.model_dump(mode="json"),
        "event": dataclasses.asdict(pending.event),
        "target": _target(pending.rule),
    }


def _target(rule: str) -> dict[str, Any]:
    try:
        parsed = parse_rule(rule)
    except RuleInvalid:
        return {}
    return {"pipeline_id": parsed.pipeline_id, "status_id": parsed.status_id}


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None
