"""The Architecture parameter cannot silently mismatch the built wheels (`tools/build_arch.py`)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from devstack.template import load_template
from tools.build_arch import main, stamp, wheel_processors

ROOT = Path(__file__).resolve().parents[2]
PURE = "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n"


def _wheel(build: Path, dist: str, *tags: str) -> None:
    info = build / "SharedLayer" / "python" / f"{dist}.dist-info"
    info.mkdir(parents=True)
    (info / "WHEEL").write_text("Wheel-Version: 1.0\n" + "".join(f"Tag: {t}\n" for t in tags), encoding="utf-8")


@pytest.fixture
def build(tmp_path):
    shutil.copy(ROOT / "template.yaml", tmp_path / "template.yaml")
    _wheel(tmp_path, "httpx-0.28.1", "py3-none-any")
    return tmp_path


def _assertion(build: Path) -> dict:
    (rule,) = load_template(build / "template.yaml")["Rules"].values()
    (assertion,) = rule["Assertions"]
    return assertion["Assert"]


def test_arm64_wheels_stamp_a_rule_that_refuses_any_other_architecture(build):
    _wheel(build, "pydantic_core-2.41.5", "cp313-cp313-manylinux_2_17_aarch64", "cp313-cp313-manylinux2014_aarch64")
    assert wheel_processors(build) == {"arm64": {"pydantic_core"}}
    assert stamp(build, "arm64") == []
    assert _assertion(build) == {"Fn::Equals": [{"Ref": "Architecture"}, "arm64"]}
    assert stamp(build, "arm64") == []  # again: replaced, not duplicated
    assert (build / "template.yaml").read_text(encoding="utf-8").count("Rules:") == 1


def test_wheels_for_another_processor_fail_the_build(build, capsys):
    _wheel(build, "pydantic_core-2.41.5", "cp313-cp313-manylinux_2_17_x86_64")
    assert main([str(build), "--architecture", "arm64"]) == 1
    assert "holds x86_64 wheels (pydantic_core), not arm64" in capsys.readouterr().err
    assert "Rules" not in load_template(build / "template.yaml")


def test_wheels_of_two_processors_fail_the_build(build):
    _wheel(build, "pydantic_core-2.41.5", "cp313-cp313-manylinux_2_17_aarch64")
    _wheel(build, "cffi-1.17.1", "cp313-cp313-manylinux_2_17_x86_64")
    (problem,) = stamp(build, "arm64")
    assert "mixes wheels of several processors" in problem


def test_a_pure_python_build_takes_the_architecture_it_was_built_for(build):
    assert stamp(build, "x86_64") == []
    assert _assertion(build) == {"Fn::Equals": [{"Ref": "Architecture"}, "x86_64"]}


@pytest.mark.slow  # cfn-lint takes half a minute
def test_the_stamped_template_passes_cfn_lint(build):
    _wheel(build, "pydantic_core-2.41.5", "cp313-cp313-manylinux_2_17_aarch64")
    assert stamp(build, "arm64") == []
    lint = Path(sys.executable).with_name("cfn-lint")
    done = subprocess.run([str(lint), str(build / "template.yaml")], capture_output=True, text=True, check=False)  # noqa: S603
    assert done.returncode == 0, done.stdout + done.stderr
