"""`make imports-against REF=...`: the older tree it compares with, and what it calls heavier."""

from __future__ import annotations

import subprocess

from tools.bench import ROOT
from tools.bench_import_ab import TOLERANCE, Pair, export, render


def test_the_older_tree_is_the_commits_layer_and_functions_only(tmp_path):
    tree = export("HEAD", tmp_path)
    committed = subprocess.run(
        ["git", "show", "HEAD:functions/copies/app.py"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    assert (tree / "functions" / "copies" / "app.py").read_bytes() == committed
    assert (tree / "layers" / "dealcopy" / "dealcopy" / "__init__.py").exists()
    assert not (tree / "tests").exists()


def test_only_a_change_beyond_the_tolerance_is_heavier():
    assert not Pair("copies", 1.60, 1.60 + TOLERANCE).heavier
    assert Pair("copies", 1.60, 1.60 + 2 * TOLERANCE).heavier
    assert not Pair("copies", 1.60, 1.20).heavier
    table = render("abc123", [Pair("copies", 1.58, 1.64), Pair("oauth", 1.18, 1.18)])
    assert "| copies | 1.58x | 1.64x | +0.06 heavier |" in table
    assert "| oauth | 1.18x | 1.18x | +0.00 |" in table
