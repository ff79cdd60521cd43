"""Digital Pipeline: signed DP rules, the webhook's parsing and the catch-up of missed hooks."""
