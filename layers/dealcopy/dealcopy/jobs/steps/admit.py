"""Admit: which jobs may run at all (no writes).

The rule must parse; the licence must be active; a DP event already answered by another
job is a duplicate; the loop guard stops chains of automatic copies that are too deep or
cycle; DP jobs act for the admin who signed the rule (or any active admin).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dealcopy.copying.action_kind import is_write_back
from dealcopy.copying.errors import CopyError
from dealcopy.copying.metadata import AccountMetadata
from dealcopy.copying.rules import parse_rule
from dealcopy.jobs.dedup import filed_event, twin_of
from dealcopy.jobs.failures import error_of, job_error
from dealcopy.jobs.notes import loop_cycle_error, loop_depth_error
from dealcopy.jobs.work import Ending, Run, Work
from dealcopy.licence import licence_of
from dealcopy.records.job import FiledEvent, JobState

if TYPE_CHECKING:
    from dealcopy.copying.write_back import WriteBackRule


def admit(run: Run, works: list[Work]) -> None:
    for work in works:
        try:
            if is_write_back(work.message.rule):
                work.write_back = _write_back(work.message.rule)
            else:
                work.rule = parse_rule(work.message.rule)
        except CopyError as err:
            work.fail(error_of(err), err)
    fresh = [w for w in works if w.in_state(JobState.QUEUED)]
    if not fresh:
        return
    assert run.account is not None
    if not licence_of(run.account).active(run.clock()):
        for work in fresh:
            work.fail(job_error("licence_expired"))
        return
    admitted: list[FiledEvent] = []  # DP events admitted in this run (twins within the batch)
    for work in fresh:
        if work.verdict is None and not _duplicate(run, work, admitted):
            _guard_loops(run, work)
    _resolve_actors(run, [w for w in fresh if w.open])


def _duplicate(run: Run, work: Work, admitted: list[FiledEvent]) -> bool:
    """A DP event another job already answers: this job ends as its duplicate."""
    record = work.record
    if record.trigger != "dp" or record.event is None:
        return False
    window = run.policy.dedup_window
    twin = twin_of(record, [*admitted, *run.pre.events], window)
    if twin is not None:
        record.state = JobState.DUPLICATE
        record.result = {"duplicate_of": twin}
        return True
    event = filed_event(record, window)
    assert event is not None
    admitted.append(event)
    return False


def _guard_loops(run: Run, work: Work) -> None:
    """Depth and rule chain of the copy; a DP copy too deep, or by a rule already in its chain, stops."""
    record = work.record
    if record.trigger != "dp":
        # A copy a user asked for starts a new chain: the loop guard counts automatic copies only.
        record.depth, record.chain = 0, []
        return
    parent = run.pre.lineage.get(record.lead_id)
    record.depth = (parent.depth if parent else 0) + 1
    record.chain = [*(parent.chain if parent else []), record.rule_hash]
    if parent is None:
        return
    if record.rule_hash in parent.chain:
        work.end(Ending.STOP, loop_cycle_error())
    elif record.depth > run.policy.max_depth:
        work.end(Ending.STOP, loop_depth_error(record.depth, run.policy.max_depth))


def _resolve_actors(run: Run, works: list[Work]) -> None:
    """Bulk jobs act for the user who asked; DP jobs for the admin who signed the rule (or any admin)."""
    dp = [w for w in works if w.message.actor_user_id is None]
    if not dp:
        return
    metadata = run.live_engine.metadata()
    for work in dp:
        actor = dp_actor(metadata, run.pre.signers.get(work.record.rule_hash))
        if actor is None:
            work.fail(job_error("no_active_admin"))
        else:
            work.message = work.message.but(actor_user_id=actor)


def dp_actor(metadata: AccountMetadata, signer: int | None) -> int | None:
    """The admin a DP copy acts as: the rule's signer while an active admin, else the first active admin."""
    user = metadata.users.get(signer) if signer is not None else None
    if user is not None and user.is_admin and user.is_active:
        return user.id
    admins = sorted(u.id for u in metadata.users.values() if u.is_admin and u.is_active)
    return admins[0] if admins else None


def _write_back(rule: str) -> WriteBackRule:
    """A write-back action, its models built when the first one arrives (only DP jobs carry them)."""
    from dealcopy.copying.write_back import parse_write_back

    return parse_write_back(rule)
