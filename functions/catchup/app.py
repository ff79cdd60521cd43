"""Scheduled catch-up of Digital Pipeline events that no hook brought (see `dealcopy.dp.catchup`)."""

from dealcopy import wiring
from dealcopy.observability import logger, metrics


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def lambda_handler(event, context):
    report = wiring.catch_up().run()
    logger.info("catch-up done", extra={k: v for k, v in report.as_dict().items() if k != "queued_jobs"})
    return report.as_dict()
