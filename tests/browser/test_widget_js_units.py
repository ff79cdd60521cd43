"""The widget's JavaScript unit tests (`widget/tests/*.test.js`) run by node's own test runner.

They test the rule form's pure modules loaded the way the bundle loads them; no npm package is
needed. Part of `make test` through this file (no browser).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NODE = shutil.which("node")


def test_the_widget_js_unit_tests_pass():
    if NODE is None:
        pytest.fail("node is missing: the widget build needs it too")
    tests = sorted((ROOT / "widget" / "tests").glob("*.test.js"))
    assert tests, "no widget unit tests found"
    run = subprocess.run(  # noqa: S603 - node on our own test files
        [NODE, "--test", *map(str, tests)], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "# fail 0" in run.stdout and "# pass 0" not in run.stdout, run.stdout[-2000:]
