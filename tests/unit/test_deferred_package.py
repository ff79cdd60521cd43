"""A package whose `__init__` is deferred: its submodules load alone, its own names still resolve."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dealcopy.web.deferred_package import defer_package_init

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "deferred_probe_pkg"


@pytest.fixture
def package(tmp_path, monkeypatch):
    """A package whose `__init__` counts its runs and re-exports a name from its submodule."""
    root = tmp_path / PACKAGE
    root.mkdir()
    (root / "__init__.py").write_text(
        textwrap.dedent(
            """
            import builtins
            builtins.deferred_probe_runs = getattr(builtins, "deferred_probe_runs", 0) + 1
            from deferred_probe_pkg.light import LIGHT
            EXPORTED = "from the init"
            """
        )
    )
    (root / "light.py").write_text("LIGHT = 'light'\n")
    (root / "other.py").write_text("OTHER = 'other'\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield root
    for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
        del sys.modules[name]
    import builtins

    vars(builtins).pop("deferred_probe_runs", None)


def _runs() -> int:
    import builtins

    return getattr(builtins, "deferred_probe_runs", 0)


def test_a_submodule_loads_without_the_package_init(package):
    defer_package_init(PACKAGE)
    from deferred_probe_pkg import other
    from deferred_probe_pkg.light import LIGHT

    assert (LIGHT, other.OTHER, _runs()) == ("light", "other", 0)


def test_a_name_the_init_defines_runs_it_once_and_resolves(package):
    defer_package_init(PACKAGE)
    import deferred_probe_pkg.light  # noqa: F401 - loaded before the init, as our handlers do
    from deferred_probe_pkg import EXPORTED, LIGHT

    assert (EXPORTED, LIGHT, _runs()) == ("from the init", "light", 1)
    from deferred_probe_pkg import EXPORTED as again

    assert (again, _runs()) == ("from the init", 1)


def test_a_name_nobody_defines_is_still_an_attribute_error(package):
    defer_package_init(PACKAGE)
    import deferred_probe_pkg

    with pytest.raises(AttributeError):
        _ = deferred_probe_pkg.missing
    assert _runs() == 1


def test_an_imported_package_or_a_plain_module_is_left_as_it_is(package):
    import deferred_probe_pkg

    before = sys.modules[PACKAGE]
    defer_package_init(PACKAGE)
    defer_package_init("json.decoder")  # a module, not a package
    defer_package_init("no_such_package_anywhere")
    assert sys.modules[PACKAGE] is before is deferred_probe_pkg
    assert "no_such_package_anywhere" not in sys.modules
    assert _runs() == 1


def test_powertools_names_resolve_after_dealcopy_web_deferred_the_event_handler():
    """Other code (powertools' own, tests) may still import from the package root: it gets the same classes."""
    probe = """
import sys
import dealcopy.web.resolver
assert "aws_lambda_powertools.event_handler.appsync" not in sys.modules
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, AppSyncResolver, Response
from aws_lambda_powertools.event_handler import api_gateway
assert APIGatewayHttpResolver is api_gateway.APIGatewayHttpResolver and Response is api_gateway.Response
assert AppSyncResolver.__module__ == "aws_lambda_powertools.event_handler.appsync"
print("ok")
"""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "layers" / "dealcopy"), "AWS_DEFAULT_REGION": "eu-central-1"}
    out = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=False
    )
    assert (out.returncode, out.stdout.strip()) == (0, "ok"), out.stderr
