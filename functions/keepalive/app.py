"""Scheduled keep-alive of every installed account's amoCRM tokens (see `dealcopy.usecases.keepalive`)."""

from dealcopy import wiring
from dealcopy.observability import logger, metrics
from dealcopy.usecases.keepalive import scheduled_time


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def lambda_handler(event, context):
    report = wiring.keep_alive().run(scheduled_time(event))
    logger.info("keep-alive done", extra=report)
    return report
