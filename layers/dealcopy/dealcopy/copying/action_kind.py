"""Which DP action a rule's settings are: a copy rule, or a write-back of the copy's origin.

Apart from `copying.write_back` so that telling the two apart builds none of the write-back models:
a manual copy runs the same admission step as a DP job and only ever meets copy rules, so neither
its request nor its handler's import pays for them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

WRITE_BACK_KEY = "write_back"


def is_write_back(data: Mapping[str, Any] | str | bytes | None) -> bool:
    """Whether a DP action's settings are a write-back (else a copy rule)."""
    if isinstance(data, (str, bytes)):
        try:
            data = json.loads(data)
        except (ValueError, RecursionError):
            return False
    return isinstance(data, Mapping) and WRITE_BACK_KEY in data
