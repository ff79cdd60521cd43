"""Schedules' fires batch like DP jobs: the fires of one minute run together (`schedules.backlogged`).

EventBridge Scheduler delivers each fire as a message of its own, 10 per worker run; armed through
`FiresInBacklog`, a fire also waits in the account's backlog under its due time, and the first run of
that minute takes them all. In-process moto (its scheduler stores schedules and never fires them: the
tests deliver each fire's body as the scheduler would) and the real emulator, as `test_batching`.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

import boto3
import pytest

from dealcopy.copying.rules import rule_hash
from dealcopy.records.copy_delay import Delay
from dealcopy.records.job import DpEvent
from dealcopy.records.repeat_calendar import RepeatRequest
from dealcopy.records.schedule import PendingCopy, RepeatState
from dealcopy.records.schedule_ids import pending_id
from dealcopy.records.scheduled_fire import as_delivered, fire_input
from dealcopy.schedules.aws_scheduler import EventBridgeScheduler, QueueTarget
from dealcopy.schedules.backlogged import FiresInBacklog
from dealcopy.schedules.delayed import DelayedCopies
from dealcopy.schedules.firing import ScheduleFires
from dealcopy.schedules.repeats import Repeats
from dealcopy.storage.presets import PresetRepository
from dealcopy.storage.schedules import ScheduleRepository
from devstack.client import api_requests, request_log_mark
from tests.dp.test_batching import RULE as BATCH_RULE
from tests.dp.test_batching import BatchHarness
from tests.dp.test_worker_units import TRIGGER
from tools.bench_scale.load import TARGET, seed_leads

RULE = {**TARGET, "fields": [], "catalogs": [], "responsible": {"mode": "source"}}
GROUP = "dealcopy-fires"


class FireHarness(BatchHarness):
    def __init__(self, aws, amo) -> None:
        super().__init__(aws, amo)
        queue_arn = aws.sqs.get_queue_attributes(QueueUrl=self.queue_url, AttributeNames=["QueueArn"])
        target = QueueTarget(
            queue_arn=queue_arn["Attributes"]["QueueArn"], role_arn="arn:aws:iam::123456789012:role/scheduler"
        )
        self.scheduler = EventBridgeScheduler(boto3.client("scheduler"), GROUP, target)
        self.scheduler.ensure_group()
        self.schedules = ScheduleRepository(aws.table("JobsTable"))
        armed = FiresInBacklog(self.scheduler, self.backlog)
        self.repeats = Repeats(armed, self.schedules)
        self.delayed = DelayedCopies(armed, self.schedules)
        self.worker.fires = ScheduleFires(
            self.repeats,
            self.delayed,
            jobs=self.store,
            presets=PresetRepository(aws.table("PresetsTable")),
        )

    def renewals(self, account: dict, leads: list[int], day: date) -> tuple[list[str], float]:
        """One single-occurrence repeat per lead, all due the same minute (10:00 Moscow, a day after `day`,
        the calendar's start); the bodies their fires deliver, and that minute (epoch seconds)."""
        bodies, due = [], 0.0
        for lead in leads:
            request = RepeatRequest.model_validate(
                {
                    "lead_id": lead,
                    "rule": RULE,
                    "every": {"unit": "day", "n": 1},
                    "at": "10:00",
                    "start": day.isoformat(),
                    "count": 1,
                    "timezone": "Europe/Moscow",
                    "idempotency_key": f"renewal-{lead}",
                }
            )
            repeat, _ = self.repeats.create(account["id"], request, timezone="Europe/Moscow", now=datetime.now(UTC))
            assert repeat.next_at is not None
            bodies.append(as_delivered(fire_input("repeat", account["id"], repeat.repeat_id), repeat.next_at))
            due = repeat.next_at.timestamp()
        return bodies, due

    def delayed_copies(self, account: dict, leads: list[int], due: datetime) -> list[str]:
        """One delayed DP copy per lead, all due at `due`; the bodies their fires deliver."""
        bodies = []
        for lead in leads:
            job_id = f"dp-later-{lead}"
            pending = PendingCopy(
                account_id=account["id"],
                pending_id=pending_id(account["id"], job_id),
                job_id=job_id,
                lead_id=lead,
                rule=BATCH_RULE,
                rule_hash=rule_hash(BATCH_RULE),
                event=DpEvent(pipeline_id=TRIGGER["pipeline_id"], status_id=TRIGGER["status_id"], time=0),
                delay=Delay(after_event={"days": 1}),
                due_at=due,
                timezone="Europe/Moscow",
            )
            assert self.delayed.plan(pending, datetime.now(UTC))
            bodies.append(as_delivered(fire_input("delayed", account["id"], pending.pending_id), due))
        return bodies

    def repeat_states(self, account: dict) -> dict[str, int]:
        counts: dict[str, int] = {}
        for repeat in self.repeats.list(account["id"]):
            counts[repeat.state.value] = counts.get(repeat.state.value, 0) + 1
        return counts


@pytest.fixture
def harness(aws, emulator):
    return FireHarness(aws, emulator)


def _tomorrow() -> date:
    return (datetime.now(UTC) + timedelta(days=1)).date()


def test_a_minutes_60_renewals_run_in_the_first_run_and_their_own_deliveries_ask_amocrm_nothing(harness):
    account = harness.account()
    harness.warm(account)
    count = 60
    fires, due = harness.renewals(account, seed_leads(harness.ctl, account, count), _tomorrow())
    assert harness.backlog.count(account["id"], 1000, horizon=due) == count
    mark = request_log_mark(harness.ctl, account["id"])

    assert harness.handle([(body, 1) for body in fires[:10]]) == {"failed": []}

    made = [e["template"] for e in api_requests(harness.ctl, account["id"], mark)]
    assert harness.repeat_states(account) == {RepeatState.FINISHED.value: count}  # every occurrence copied and moved on
    assert len(harness.copies(account)) == count + 1  # and the warm-up's
    # One read of the 60 sources for the fires, one for the run, then a create per 50, one link, one notes.
    assert made.count("GET /api/v4/leads") <= 2, made
    assert made.count("POST /api/v4/leads") == math.ceil(count / 50), made
    assert len(made) <= 2 + math.ceil(count / 50) * 3, made

    mark = request_log_mark(harness.ctl, account["id"])
    for start in range(10, count, 10):  # the scheduler's own deliveries of the other 50 still come
        assert harness.handle([(body, 1) for body in fires[start : start + 10]]) == {"failed": []}
    assert api_requests(harness.ctl, account["id"], mark) == []
    assert len(harness.copies(account)) == count + 1
    assert harness.backlog.count(account["id"], 1000, horizon=due) == 0


def test_a_minutes_30_delayed_copies_run_in_the_first_run_with_one_read_of_their_sources(harness):
    account = harness.account()
    harness.warm(account)
    count = 30
    due = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=1)
    fires = harness.delayed_copies(account, seed_leads(harness.ctl, account, count), due)
    mark = request_log_mark(harness.ctl, account["id"])

    assert harness.handle([(body, 1) for body in fires[:10]]) == {"failed": []}

    made = [e["template"] for e in api_requests(harness.ctl, account["id"], mark)]
    assert harness.delayed.pending(account["id"]) == []  # every one made and done with
    assert len(harness.copies(account)) == count + 1
    assert made.count("GET /api/v4/leads") <= 2, made
    assert len(made) <= 2 + 3, made
    mark = request_log_mark(harness.ctl, account["id"])
    for start in range(10, count, 10):
        assert harness.handle([(body, 1) for body in fires[start : start + 10]]) == {"failed": []}
    assert api_requests(harness.ctl, account["id"], mark) == []
    assert len(harness.copies(account)) == count + 1


def test_a_fire_armed_for_later_waits_and_a_dp_run_now_leaves_it_alone(harness):
    account = harness.account()
    harness.warm(account)
    lead, *others = seed_leads(harness.ctl, account, 3)
    (fire,), due = harness.renewals(account, [lead], _tomorrow())
    messages = harness.queued(account, others)  # DP jobs now, a renewal tomorrow

    assert harness.handle([(messages[0], 1)]) == {"failed": []}
    assert harness.states(account, messages) == {"done": 2}
    assert harness.repeat_states(account) == {RepeatState.ACTIVE.value: 1}  # not fired early
    assert harness.backlog.count(account["id"], 10) == 0  # nothing due now
    assert harness.backlog.count(account["id"], 10, horizon=due) == 1

    assert harness.handle([(fire, 1)]) == {"failed": []}  # tomorrow, the scheduler's delivery
    assert harness.repeat_states(account) == {RepeatState.FINISHED.value: 1}
    assert len(harness.copies(account)) == 3 + 1


def test_a_renewal_deleted_after_it_was_armed_is_not_copied_when_its_item_is_taken(harness):
    account = harness.account()
    harness.warm(account)
    leads = seed_leads(harness.ctl, account, 3)
    fires, due = harness.renewals(account, leads, _tomorrow())
    gone = harness.repeats.list(account["id"], leads[1])[0]
    harness.repeats.delete(account["id"], gone.repeat_id)  # its schedule goes, its backlog item stays

    assert harness.handle([(fires[0], 1)]) == {"failed": []}

    assert len(harness.copies(account)) == 2 + 1  # the deleted renewal made no copy
    assert harness.backlog.count(account["id"], 10, horizon=due) == 0
