"""Fingerprints: the one way we hash a request body or a tuple of ids into a stable text.

Idempotency compares a stored request's `body_fingerprint` with a replay's (the same key with
another body is refused); deterministic ids (`digest`) name jobs, batches, repeats and queue
de-duplication so that doing a thing twice finds the first. Every stored or sent value depends
on these exact bytes: changing either function renames existing ids and refuses honest replays.
Stdlib only: the DP hook names its job with `digest` on its import path.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any


def body_fingerprint(body: Mapping[str, Any]) -> str:
    """SHA-256 of the body's JSON with sorted keys: key order and whitespace never matter, values do."""
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def digest(*parts: object, length: int = 64) -> str:
    """The first `length` hex digits of SHA-256 over the parts joined with `|` (an id made of ids)."""
    return hashlib.sha256("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:length]
