"""Two lookups moto repeats on every request, made once (the answers never change in a process).

moto 5 lists its own package directory (`os.listdir` + an `isdir` per service, ~150 system calls) to
route each server request, and inspects the service's response class (`inspect.getmembers`) to find
each action's method. Neither answer changes while a process runs, yet together they were most of the
CPU an idle local stack spent (its SQS poller asks a few times a second), and a large share of every
moto call in the test suite. Cached here; what moto answers stays the same.
"""

from __future__ import annotations

import functools

_applied = False


def apply() -> None:
    """Cache moto's backend list and per-class method names (idempotent)."""
    global _applied
    if _applied:
        return
    from moto import backends
    from moto.core import responses

    modules = tuple(backends.list_of_moto_modules())
    backends.list_of_moto_modules = lambda: modules  # werkzeug_app calls it through the module
    responses.method_names_from_class = functools.cache(responses.method_names_from_class)
    _applied = True
