"""Every module of the shared code, the handlers, the emulator and the local stack imports on this interpreter.

Most of what differs between Python versions shows on import: syntax, names the standard library gained
or dropped, and annotations that pydantic and dataclasses evaluate when a class is made. `make compat`
runs this file on 3.11 for every module, beside the suites that run the code paths themselves.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = {
    "dealcopy": ROOT / "layers" / "dealcopy" / "dealcopy",
    "amo_emulator": ROOT / "emulator" / "amo_emulator",
    "devstack": ROOT / "devstack",
}


def _modules() -> list[str]:
    names = []
    for package, folder in PACKAGES.items():
        for path in sorted(folder.rglob("*.py")):
            parts = path.relative_to(folder).with_suffix("").parts
            if parts[-1] == "__main__":
                continue  # a command: importing it runs it
            names.append(".".join((package, *parts[:-1])) if parts[-1] == "__init__" else ".".join((package, *parts)))
    return names


HANDLERS = sorted(path.parent.name for path in (ROOT / "functions").glob("*/app.py"))


def test_the_lists_reach_every_package_and_handler():
    modules = _modules()
    assert {name.split(".")[0] for name in modules} == set(PACKAGES)
    assert len(modules) > 100 and len(HANDLERS) >= 9  # a moved folder fails here, not silently


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_every_module_imports(package):
    failed = {}
    for name in (n for n in _modules() if n.split(".")[0] == package):
        try:
            importlib.import_module(name)
        except Exception as error:  # every failure is reported together
            failed[name] = f"{type(error).__name__}: {error}"
    assert failed == {}


@pytest.mark.parametrize("handler", HANDLERS)
def test_every_handler_imports(handler):
    spec = importlib.util.spec_from_file_location(f"handler_{handler}", ROOT / "functions" / handler / "app.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.pop(spec.name, None)
    spec.loader.exec_module(module)
    assert callable(module.lambda_handler)  # what template.yaml names as every Handler
