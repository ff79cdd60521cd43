"""SQS FIFO worker: runs the copy jobs queued by the DP hook and bulk copies."""

from aws_lambda_powertools.utilities.batch import SqsFifoPartialProcessor, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from dealcopy.observability import logger, metrics

# FIFO: stop at the first failure of a message group so later jobs never overtake it.
processor = SqsFifoPartialProcessor()


def record_handler(record: SQSRecord) -> None:
    # Copy jobs arrive with the Digital Pipeline feature; until then a message is a visible
    # failure (retried, then dead-lettered), never silently dropped.
    raise NotImplementedError(f"copy jobs are not processed yet (message {record.message_id})")


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def lambda_handler(event, context):
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
