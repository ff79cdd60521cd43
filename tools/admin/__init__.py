"""Operator commands, run from the repository root with the operator's AWS credentials against the deployed stack.

    python -m tools.admin accounts list|show ID|extend ID --days N
    python -m tools.admin accounts status ID                token age, time zone, licence, disconnection
    python -m tools.admin jobs failed [--account ID]       failed/stopped copy jobs and why
    python -m tools.admin jobs recent ID [--hours 24]       an account's recent jobs: state and reason
    python -m tools.admin dlq count                         messages in the dead-letter queue
    python -m tools.admin dlq redrive [--account ID] [--dry-run]
                                                            after a fix: jobs back to the queue
    python -m tools.admin scheduler-dlq count|redrive [--dry-run]
                                                            schedule fires that never reached the queue
    python -m tools.admin schedules ID                      an account's repeats and pending delayed copies
    python -m tools.admin rules old-key [--account ID]      DP rules still signed with a previous client secret

Environment (stack outputs, docs/operations.md): ACCOUNTS_TABLE, JOBS_TABLE, COPY_QUEUE_URL, COPY_DLQ_URL,
SCHEDULER_DLQ_URL, CLIENT_SECRET_ID.

It lives outside the Lambda layer so that no function ships it; it imports the layer (`dealcopy`),
never the other way round.
"""

import sys
from pathlib import Path

_LAYER = Path(__file__).resolve().parents[2] / "layers" / "dealcopy"
if str(_LAYER) not in sys.path:
    sys.path.insert(0, str(_LAYER))
