"""SQS FIFO worker: runs the copy jobs queued by the DP hook, the catch-up and bulk copies.

All the logic (batching per account, checkpoints, FIFO partial failures, retries, DLQ) is
in `dealcopy.jobs.worker`; this is the entry point.
"""

from dealcopy import wiring
from dealcopy.observability import logger, metrics
from dealcopy.usecases.jobs import run_copy_jobs


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def lambda_handler(event, context):
    return run_copy_jobs(event, context, worker=wiring.copy_worker())
