"""Import a package's submodules without running its `__init__` until one of its own names is asked for.

powertools' `aws_lambda_powertools.event_handler/__init__.py` only re-exports, but it does so for
every resolver it ships: AppSync (which loads `asyncio`), AppSync Events, Bedrock agents, VPC
Lattice, Lambda function URLs. Our HTTP handlers use the HTTP API resolver alone, and the rest
costs each of them about 2 % of its cold start. Registering the package with a module-level
`__getattr__` (PEP 562) lets `...event_handler.api_gateway` load on its own; the first lookup of a
name the `__init__` defines (`from aws_lambda_powertools.event_handler import AppSyncResolver`)
runs that `__init__` as usual, so nothing else changes.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from types import ModuleType


def defer_package_init(name: str) -> None:
    """Register package `name` with its `__init__` deferred; a no-op once it is imported."""
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None or spec.submodule_search_locations is None:
        return  # not an installed package: the normal import reports it
    package = importlib.util.module_from_spec(spec)

    def __getattr__(attr: str) -> object:
        if importlib.util.find_spec(f"{name}.{attr}") is not None:
            return importlib.import_module(f"{name}.{attr}")  # a submodule: no need for the __init__
        return _run_init(package, attr)

    package.__getattr__ = __getattr__  # type: ignore[method-assign]
    sys.modules[name] = package


def _run_init(package: ModuleType, attr: str) -> object:
    """Run the deferred `__init__` once, in the package's own namespace, and answer the lookup."""
    vars(package).pop("__getattr__", None)
    package.__spec__.loader.exec_module(package)  # type: ignore[union-attr]
    return getattr(package, attr)
