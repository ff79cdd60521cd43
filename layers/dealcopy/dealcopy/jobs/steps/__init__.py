"""The steps of a job run, one module each, in the order the runner calls them:

    admit       rule, licence, near-duplicate DP event, loop guard, acting user   (no writes)
    reconcile   an uncertain create: settle, look for its lead, adopt it or forget the attempt
    create      plan the queued jobs, checkpoint `creating` -> POST /leads -> checkpoint `created`
    follow_up   POST /leads/link -> checkpoint `linked`; POST /leads/notes -> checkpoint `done`
    finish      failure/stop notes on the sources -> `failed` (+ DLQ) / `stopped`; save the rest

Each takes the run and its open jobs (`work.Work`) and moves their records along the state
machine of `records.job`; only the storage's `checkpoint` and the engine touch the outside.
"""
