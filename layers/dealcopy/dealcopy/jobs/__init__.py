"""Copy jobs: queued copies (Digital Pipeline hooks, catch-up, bulk) run by the SQS worker.

A job is one copy of one lead by one rule. Its record in the jobs table makes it idempotent
and resumable: see `model.JobState` for the state machine and `runner` for the steps.
"""
