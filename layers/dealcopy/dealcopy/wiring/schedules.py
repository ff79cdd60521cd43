"""Delayed and recurring copies: EventBridge Scheduler, the schedules' store and services."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

import boto3

from dealcopy.config import settings
from dealcopy.wiring.tables import job_backlog, job_records, presets, schedule_store

if TYPE_CHECKING:
    from dealcopy.schedules.aws_scheduler import EventBridgeScheduler
    from dealcopy.schedules.delayed import DelayedCopies
    from dealcopy.schedules.firing import ScheduleFires
    from dealcopy.schedules.ports import Scheduler
    from dealcopy.schedules.repeats import Repeats


@cache
def scheduler() -> EventBridgeScheduler:
    """Schedules in the stack's group that send to the copy queue through the scheduler's role."""
    from dealcopy.schedules.aws_scheduler import EventBridgeScheduler, QueueTarget

    cfg = settings()
    target = QueueTarget(
        queue_arn=cfg.copy_queue_arn, role_arn=cfg.scheduler_role_arn, dead_letter_arn=cfg.scheduler_dlq_arn or None
    )
    return EventBridgeScheduler(boto3.client("scheduler"), cfg.schedule_group, target)


def fire_scheduler() -> Scheduler:
    """What repeats and delayed copies arm their fires with: with batching on, fires join the backlog too."""
    if not settings().job_batch_size:
        return scheduler()
    from dealcopy.schedules.backlogged import FiresInBacklog

    return FiresInBacklog(scheduler(), job_backlog())


def repeats() -> Repeats:
    from dealcopy.schedules.repeats import Repeats

    return Repeats(fire_scheduler(), schedule_store())


def delayed_copies() -> DelayedCopies:
    from dealcopy.schedules.delayed import DelayedCopies

    return DelayedCopies(fire_scheduler(), schedule_store())


def schedule_fires() -> ScheduleFires:
    """The worker's side of schedules: a fire becomes its copy job; delayed DP jobs wait for their time."""
    from dealcopy.schedules.firing import ScheduleFires

    return ScheduleFires(repeats(), delayed_copies(), jobs=job_records(), presets=presets())
