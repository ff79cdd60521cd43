"""The worker's side of schedules (`jobs.scheduled.Fires`): what a fire means now, and delayed DP jobs.

A repeat's fire becomes the copy job of its occurrence (trigger `repeat`, the job id fixed by
the occurrence, `{n}`/`{date}` filled into the name template); once that job has ended the
next occurrence is armed. A source that is gone stops the repeat (checked with one read, so
a deleted deal does not leave a failed job and a note every month).

A delayed DP copy's fire reads the source (`DelayedCopies.on_fire` decides): copy now as the
DP job it was planned as, re-plan, or cancel with a note on the source. The DP job itself is
deferred by the worker rather than the hook: the due time of a field delay costs a read of the
lead, and the hook must answer at once without amoCRM calls.
"""

from __future__ import annotations

import json
import string
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from dealcopy.amo.errors import AmoTokenError, AmoUnavailable
from dealcopy.copying.errors import SourceNotFound
from dealcopy.copying.naming import DEFAULT_TIMEZONE, zone
from dealcopy.copying.notes import NOTE_TYPE, SERVICE_NAME
from dealcopy.copying.rule_resolution import resolve_rule
from dealcopy.copying.rules import rule_hash
from dealcopy.messages import text
from dealcopy.observability import logger
from dealcopy.records.copy_delay import delay_of
from dealcopy.records.job import JobMessage, JobRef
from dealcopy.records.schedule import PendingCopy, Repeat
from dealcopy.records.schedule_ids import pending_id
from dealcopy.records.scheduled_fire import ScheduledFire
from dealcopy.schedules.delayed import Cancelled, CopyNow, DelayedCopies
from dealcopy.schedules.repeats import DISCONNECTED, UNINSTALLED, OccurrenceCopy, Repeats
from dealcopy.schedules.timemath import due_time, minute

if TYPE_CHECKING:
    from dealcopy.accounts import Account
    from dealcopy.copying.engine import CopyEngine
    from dealcopy.copying.source import SourceLead
    from dealcopy.storage.jobs import JobRepository
    from dealcopy.storage.presets import PresetRepository


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class Firing:
    """One opened fire (`jobs.scheduled.FireRun`)."""

    message: JobMessage | None = None
    follow: Callable[[], Any] | None = field(default=None, repr=False)

    def after(self) -> None:
        if self.follow is not None:
            self.follow()


class ScheduleFires:
    def __init__(
        self,
        repeats: Repeats,
        delayed: DelayedCopies,
        *,
        jobs: JobRepository,
        presets: PresetRepository,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self._repeats = repeats
        self._delayed = delayed
        self._jobs = jobs
        self._presets = presets
        self._clock = clock

    def account_of(self, body: str) -> int | None:
        if '"scheduled"' not in body:
            return None  # the common case, a job message: no parse
        try:
            return ScheduledFire.model_validate_json(body).account_id
        except ValidationError:
            return None

    def open_all(self, bodies: Sequence[str], account: Account | None, engine: CopyEngine | None) -> list[Firing]:
        """What each fire means now, in order; the sources of all of them are read in one request per 250
        (a minute's 200 renewals cost one read, not 200)."""
        fires = [ScheduledFire.model_validate_json(body) for body in bodies]
        if engine is None:
            gone = DISCONNECTED if account is not None else UNINSTALLED
            return [self._inactive(fire, gone) for fire in fires]
        openings = [self._prepare(fire) for fire in fires]
        sources = _read(engine, [lead for o in openings if o is not None and (lead := o.lead_id) is not None])
        return [Firing() if o is None else self._finish(o, engine, sources) for o in openings]

    def _inactive(self, fire: ScheduledFire, gone: str) -> Firing:
        """The account is gone or disconnected: no job that could only fail."""
        if fire.scheduled == "delayed":
            logger.info("delayed copy of an inactive account dropped", extra={"pending_id": fire.id})
            self._delayed.drop(fire.account_id, fire.id)
            return Firing()
        decision = self._repeats.on_fire(fire)
        if isinstance(decision, OccurrenceCopy):
            self._repeats.stop(decision.repeat.account_id, decision.repeat.repeat_id, gone)
        return Firing()

    def _prepare(self, fire: ScheduledFire) -> _Opening | None:
        """What our own records say of a fire (None: nothing to do, e.g. a stale or repeated delivery)."""
        if fire.scheduled == "delayed":
            return _Opening(fire, pending=self._delayed.get(fire.account_id, fire.id))
        decision = self._repeats.on_fire(fire)
        if not isinstance(decision, OccurrenceCopy):
            logger.info("repeat fire skipped", extra={"repeat_id": fire.id, "reason": decision.reason})
            return None
        return _Opening(fire, occurrence=decision)

    def _finish(self, opening: _Opening, engine: CopyEngine, sources: Mapping[int, SourceLead] | None) -> Firing:
        if opening.occurrence is not None:
            return self._repeat(opening.occurrence, sources)
        return self._delayed_fire(opening.fire, opening.pending, engine, sources)

    # --- repeats ------------------------------------------------------------------------------

    def _repeat(self, decision: OccurrenceCopy, sources: Mapping[int, SourceLead] | None) -> Firing:
        repeat = decision.repeat
        if sources is None:  # amoCRM down or its host unconfirmed: the job's retries decide
            logger.warning("repeat source unreadable; copying anyway", extra={"repeat_id": repeat.repeat_id})
        elif repeat.lead_id not in sources:
            self._repeats.stop(repeat.account_id, repeat.repeat_id, "repeat-source-deleted")
            return Firing()
        rule = self._rule_of(repeat)
        if rule is None:
            self._repeats.stop(repeat.account_id, repeat.repeat_id, "repeat-preset-deleted")
            return Firing()
        if rule.get("name_template"):
            rule["name_template"] = fill_template(str(rule["name_template"]), decision.name_values)
        if isinstance(rule.get("field_rules"), list):  # `{n}`/`{date}` of field templates alike
            rule["field_rules"] = [_filled(item, decision.name_values) for item in rule["field_rules"]]
        canonical = json.dumps(rule, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
        message = JobMessage(
            account_id=repeat.account_id,
            trigger="repeat",
            origin="schedule",
            rule=canonical,
            rule_hash=rule_hash(canonical),
            actor_user_id=repeat.created_by,
            jobs=[JobRef(job_id=decision.job_id, lead_id=repeat.lead_id)],
        )
        return Firing(message, lambda: self._repeats.advance(decision, self._clock()))

    def _rule_of(self, repeat: Repeat) -> dict[str, Any] | None:
        """The repeat's own rule, or its preset's as it is now with the overrides on top (None: preset gone).

        The preset's locks as they are now win over the stored overrides: it may have been locked or
        anonymised since the repeat was set up, and nobody is there to refuse.
        """
        if repeat.rule is not None:
            return resolve_rule(own=json.loads(repeat.rule))
        preset = self._presets.get(repeat.account_id, repeat.preset_id or "")
        return None if preset is None else resolve_rule(preset=preset, overrides=repeat.overrides, refuse=False)

    # --- delayed DP copies --------------------------------------------------------------------

    def _delayed_fire(
        self,
        fire: ScheduledFire,
        pending: PendingCopy | None,
        engine: CopyEngine,
        sources: Mapping[int, SourceLead] | None,
    ) -> Firing:
        lead: Mapping[str, Any] | None = {}  # gone: no read spent, the decision says "gone"
        if pending is not None:
            if sources is None:  # never decided on a guess: the same decision an hour later
                later = self._delayed.postpone(fire, self._clock())
                logger.warning("delayed copy postponed", extra={"pending_id": fire.id, "until": str(later)})
                return Firing()
            found = sources.get(pending.lead_id)
            lead = None if found is None else _view(found)
        decision = self._delayed.on_fire(fire, lead, self._clock())
        if isinstance(decision, CopyNow):
            return Firing(_dp_message(decision.pending), lambda: self._delayed.finish(decision.pending))
        if isinstance(decision, Cancelled) and lead:
            _note(engine, int(lead["id"]), decision.code)  # a deleted source has nowhere to put it
        return Firing()

    def defer(self, message: JobMessage, engine: CopyEngine) -> bool:
        delay = delay_of(message.rule)
        if delay is None or message.event is None or len(message.jobs) != 1:
            return False
        ref = message.jobs[0]
        if self._jobs.get_jobs(message.account_id, [ref.job_id]):
            return False  # the job exists already (planned, copied or failed): the runner knows what to do
        lead: Mapping[str, Any] = {}
        if delay.field is not None:
            found = _lead_view(engine, ref.lead_id)
            if found is None:
                return False  # the runner fails the job as usual (source not found)
            lead = found
        timezone = str(json.loads(message.rule).get("timezone") or engine.timezone or DEFAULT_TIMEZONE)
        due = due_time(delay, event_time=message.event.time, lead=lead, timezone=timezone)
        if due is None:
            _note(engine, ref.lead_id, "delayed-field-empty")
            return True
        pending = PendingCopy(
            account_id=message.account_id,
            pending_id=pending_id(message.account_id, ref.job_id),
            job_id=ref.job_id,
            lead_id=ref.lead_id,
            rule=message.rule,
            rule_hash=message.rule_hash,
            event=message.event,
            delay=delay,
            due_at=due,
            timezone=timezone,
        )
        now = self._clock()
        planned = self._delayed.plan(pending, now)
        if not planned and delay.field is not None and due < minute(now):
            # the deal's date minus the offset is behind us: the copy is made now, and the deal says why
            _note(engine, ref.lead_id, "delayed-past-due", at=_zoned(due, timezone))
        return planned


def _dp_message(pending: PendingCopy) -> JobMessage:
    """The DP job a delayed copy was planned as (its id fixed at the hook: exactly once)."""
    return JobMessage(
        account_id=pending.account_id,
        trigger="dp",
        origin="delayed",
        rule=pending.rule,
        rule_hash=pending.rule_hash,
        event=pending.event,
        jobs=[JobRef(job_id=pending.job_id, lead_id=pending.lead_id)],
    )


@dataclass(frozen=True)
class _Opening:
    """A fire our records say is due: a repeat's occurrence, or a delayed copy (None: it is gone)."""

    fire: ScheduledFire
    occurrence: OccurrenceCopy | None = None
    pending: PendingCopy | None = None

    @property
    def lead_id(self) -> int | None:
        if self.occurrence is not None:
            return self.occurrence.repeat.lead_id
        return self.pending.lead_id if self.pending is not None else None


def _read(engine: CopyEngine, lead_ids: Sequence[int]) -> Mapping[int, SourceLead] | None:
    """The fires' sources as amoCRM has them now (a deleted one is absent); None when amoCRM could not say."""
    if not lead_ids:
        return {}
    try:
        return engine.read_sources(lead_ids)
    except (AmoUnavailable, AmoTokenError):
        return None


def _view(source: SourceLead) -> Mapping[str, Any]:
    """The source as a delayed copy's decision needs it (status, custom fields)."""
    return {"id": source.id, "status_id": source.status_id, "custom_fields_values": source.custom_fields_values}


def _lead_view(engine: CopyEngine, lead_id: int) -> Mapping[str, Any] | None:
    """One source read for a delayed DP job's due time; None when it is gone."""
    try:
        return _view(engine.read_source(lead_id))
    except SourceNotFound:
        return None


def _zoned(moment: datetime, timezone: str) -> str:
    """`dd.mm.yyyy HH:MM (zone)`: a time in a note is labelled with the zone it is in."""
    return f"{moment.astimezone(zone(timezone)):%d.%m.%Y %H:%M} ({timezone})"


def _note(engine: CopyEngine, lead_id: int, code: str, **data: Any) -> None:
    """A service note on the source saying what became of its delayed copy (best effort: the decision stands)."""
    words = text(code, engine.lang, **data)
    note = {
        "entity_id": lead_id,
        "note_type": NOTE_TYPE,
        "params": {"service": SERVICE_NAME.get(engine.lang, SERVICE_NAME["ru"]), "text": words},
    }
    try:
        engine.write_failure_notes([(0, [note])])
    except Exception:
        logger.warning("could not write the delayed copy's note", extra={"lead_id": lead_id, "code": code})


def _filled(field_rule: Any, values: Mapping[str, Any]) -> Any:
    if isinstance(field_rule, dict) and isinstance(field_rule.get("template"), str):
        return {**field_rule, "template": fill_template(field_rule["template"], values)}
    return field_rule


def fill_template(template: str, values: Mapping[str, Any]) -> str:
    """`template` with the placeholders named in `values` replaced by them; the others stay (braces kept)."""
    out = []
    for literal, name, spec, conversion in string.Formatter().parse(template):
        out.append(literal.replace("{", "{{").replace("}", "}}"))
        if name is None:
            continue
        if name in values and not spec and not conversion:
            out.append(str(values[name]).replace("{", "{{").replace("}", "}}"))
        else:
            out.append("{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}")
    return "".join(out)
