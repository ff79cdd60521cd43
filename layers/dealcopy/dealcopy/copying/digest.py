"""The short id of a rule's canonical text (`copying.rules.canonical_rule`).

Its own module so that the DP hook can name a job by its rule without loading the rule
model (the hook's cold start); `copying.rules` re-exports it beside `canonical_rule`.
"""

from __future__ import annotations

from dealcopy.fingerprints import digest


def rule_hash(canonical: str) -> str:
    """A short stable id of a rule (job ids, dedup ids, catch-up bookkeeping)."""
    return digest(canonical, length=16)
