"""amoCRM API v4 emulator: a real HTTP server with OAuth, limits, faults and a control API.

Entry points: ``create_app`` (Starlette app), ``EmulatorServer`` (background thread),
``EmulatorControl`` (client of the control API), ``python -m amo_emulator``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["EmulatorControl", "EmulatorServer", "EmulatorState", "create_app"]

if TYPE_CHECKING:
    from .app import create_app
    from .control import EmulatorControl
    from .server import EmulatorServer
    from .state import EmulatorState

_LAZY = {
    "create_app": "app",
    "EmulatorServer": "server",
    "EmulatorState": "state",
    "EmulatorControl": "control",
}


def __getattr__(name: str) -> Any:
    """Import lazily so ``amo_emulator.control`` works without pulling in the server stack."""
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(name)
