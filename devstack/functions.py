"""Loads each function's handler from its CodeUri (the source), under a module name of its own, in this process.

`devstack.built` runs `sam build`'s output instead, each function in a runtime-only process.
"""

from __future__ import annotations

import importlib.util
import sys
import threading
from collections.abc import Callable
from typing import Any

from devstack.lambda_context import LocalContext
from devstack.template import Template

Handler = Callable[[dict[str, Any], Any], Any]


class FunctionRegistry:
    def __init__(self, template: Template) -> None:
        self._template = template
        self._handlers: dict[str, Handler] = {}
        self._lock = threading.Lock()

    def handler(self, logical_id: str) -> Handler:
        with self._lock:
            if logical_id not in self._handlers:
                self._handlers[logical_id] = self._load(logical_id)
            return self._handlers[logical_id]

    def _load(self, logical_id: str) -> Handler:
        code_dir, spec = self._template.function_handler(logical_id)
        module_name, attr = spec.rsplit(".", 1)
        unique = f"fn_{logical_id}_{module_name}"
        module_spec = importlib.util.spec_from_file_location(unique, code_dir / f"{module_name}.py")
        module = importlib.util.module_from_spec(module_spec)
        sys.modules[unique] = module
        module_spec.loader.exec_module(module)
        return getattr(module, attr)

    def invoke(self, logical_id: str, event: dict[str, Any]) -> Any:
        timeout = self._template.function_timeout(logical_id)
        return self.handler(logical_id)(event, LocalContext(function_name=logical_id, timeout_seconds=timeout))
