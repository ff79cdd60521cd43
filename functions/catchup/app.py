"""Scheduled catch-up of Digital Pipeline events that no hook brought (see `dealcopy.dp.catchup`)."""

from dealcopy import wiring
from dealcopy.observability import logger, metrics
from dealcopy.usecases.jobs import catch_up_missed


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def lambda_handler(event, context):
    # the lease lasts past this function's timeout (template: CatchUpFunction Timeout 120)
    report = catch_up_missed(catch_up=wiring.catch_up(), lease=wiring.claims(), lease_seconds=150)
    logger.info("catch-up done", extra={k: v for k, v in report.items() if k != "queued_jobs"})
    return report
