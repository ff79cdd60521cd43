"""`make imports-against REF=...`: the older tree it compares with, and what it calls heavier."""

from __future__ import annotations

import os
import subprocess

from tools.bench import ROOT
from tools.bench_import_ab import LAMBDA, TOLERANCE, Interpreter, Pair, _env, export, missing, render


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


def test_as_lambda_each_trees_code_comes_before_the_built_layers_dependencies(tmp_path):
    path = _env(tmp_path, LAMBDA)["PYTHONPATH"].split(os.pathsep)
    assert path == [
        str(tmp_path / "layers" / "dealcopy"),
        str(ROOT / ".aws-sam" / "local" / "build" / "SharedLayer" / "python"),
    ]
    assert LAMBDA.python == ROOT / ".venv-runtime" / "bin" / "python"  # boto3 as the runtime ships it, no CRT


def test_an_interpreter_not_built_yet_is_named_not_run(tmp_path):
    (tmp_path / "python").touch()
    built = Interpreter(tmp_path / "python", (tmp_path / "layer",), "here")
    assert missing(built) == [tmp_path / "layer"]
    (tmp_path / "layer").mkdir()
    assert missing(built) == []
    assert "`import boto3` here, abc123 beside" in render("abc123", [Pair("copies", 2.10, 2.19)], built.where)


def test_the_cold_start_table_shows_the_counted_ratio_or_a_dash_without_valgrind(monkeypatch, tmp_path):
    from tools.bench import ColdStart, cold_start_section
    from tools.bench_import_ab import counted_ratios

    rows = [ColdStart("functions/copies", 0.7, 1.78, 1.79, 1.58), ColdStart("functions/bulk", 0.6, 1.65, 1.65)]
    table = cold_start_section(rows)
    assert "| functions/copies | 0.700 | 1.78x | 1.79x | 1.58x | 2.0x |" in table
    assert "| functions/bulk | 0.600 | 1.65x | 1.65x | – | 2.0x |" in table
    monkeypatch.setenv("PATH", str(tmp_path))  # no valgrind on it
    assert counted_ratios() is None
