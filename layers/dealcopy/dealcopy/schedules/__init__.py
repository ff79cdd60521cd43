"""Delayed and recurring copies («Повторные сделки») on EventBridge Scheduler.

Pure domain modules: `delay` and `repeat` (request models), `timemath` (due times and
occurrences), `fire` (the message a schedule delivers), `names` (deterministic ids),
`ports` (what the domain needs from the scheduler and the store). Adapters:
`aws_scheduler` (boto3 `scheduler`) and `dealcopy.storage.schedules` (DynamoDB).
"""
