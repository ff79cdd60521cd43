"""Operator commands, run from the repository root with the operator's AWS credentials against the deployed stack.

    python -m tools.admin accounts list|show ID|extend ID --days N
    python -m tools.admin jobs failed [--account ID]       failed/stopped copy jobs and why
    python -m tools.admin dlq count                         messages in the dead-letter queue
    python -m tools.admin dlq redrive [--account ID] [--dry-run]
                                                            after a fix: jobs back to the queue

Environment: ACCOUNTS_TABLE, JOBS_TABLE, COPY_QUEUE_URL, COPY_DLQ_URL (stack outputs/README).

It lives outside the Lambda layer so that no function ships it; it imports the layer (`dealcopy`),
never the other way round.
"""

import sys
from pathlib import Path

_LAYER = Path(__file__).resolve().parents[2] / "layers" / "dealcopy"
if str(_LAYER) not in sys.path:
    sys.path.insert(0, str(_LAYER))
