"""Handler import cost of this tree beside an older commit's, counted in instructions.

`python -m tools.bench imports --against REF` answers "did a change make cold starts heavier?".
Timed imports cannot answer it on this shared host: the same tree's ratio to `import boto3` moves by
0.15x or more between runs and single samples by 2x, and even the fastest of fifteen interleaved
rounds swung by 0.4x between two runs of the same two trees (NOTES.md). The instructions an import
executes do not depend on the neighbours: callgrind counts them (to within a few hundred in 1.5
billion with a fixed hash seed), so one run of each import is the figure. An import's instructions
track its CPU time on one machine; the ratio to a bare `import boto3` counted the same way is what
to compare. The old tree is `git archive`d into a temporary folder and imported with this
checkout's venv, so only the code differs. Needs valgrind (Debian package `valgrind`).

`--as-lambda` counts both trees the way Lambda loads them: the runtime-only virtualenv's python (boto3
as the python3.13 runtime ships it, without the CRT that sam-cli puts beside botocore in `.venv`) and
the dependencies of this tree's layer as `sam build` left them (`make build-local`), no `cryptography`
for PyJWT to load. The development virtualenv's `import boto3` also loads the CRT and is about twice
Lambda's, so the same instructions make a ratio about half as large there (NOTES.md).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

from tools.import_probe import FUNCTIONS, IMPORT_PROBE, ROOT, probe_env

# A change this small is no change: code that differs only in names or comments still moves a count a little.
TOLERANCE = 0.01
_COUNTED = re.compile(r"Collected : (\d+)")


class Interpreter(NamedTuple):
    """The python that imports both trees, and where it finds the layer's dependencies besides each tree's code."""

    python: Path
    dependencies: tuple[Path, ...]
    where: str  # how a report names it


DEVELOPMENT = Interpreter(Path(sys.executable), (), "in the development virtualenv")
LAMBDA = Interpreter(
    ROOT / ".venv-runtime" / "bin" / "python",
    (ROOT / ".aws-sam" / "local" / "build" / "SharedLayer" / "python",),
    "as Lambda loads them (runtime-only boto3, the built layer's dependencies)",
)


def missing(interpreter: Interpreter) -> list[Path]:
    """What `interpreter` needs that is not there (`make runtime-venv build-local` makes Lambda's)."""
    return [path for path in (interpreter.python, *interpreter.dependencies) if not path.exists()]


class Pair(NamedTuple):
    function: str
    before: float  # instructions of the old handler's import / those of a bare `import boto3`
    after: float  # the same for this tree

    @property
    def heavier(self) -> bool:
        return self.after > self.before + TOLERANCE


def export(ref: str, into: Path) -> Path:
    """The layer and functions of `ref`, unpacked under `into`."""
    archive = into / "tree.tar"
    with archive.open("wb") as out:
        subprocess.run(["git", "archive", ref, "layers", "functions"], cwd=ROOT, stdout=out, check=True)  # noqa: S603, S607
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    return into


def _probe(root: Path, target: str, interpreter: Interpreter) -> list[str]:
    """The command importing `target` (a function's name, or "boto3") of `root` in a fresh interpreter."""
    module = target if target == "boto3" else str(root / "functions" / target / "app.py")
    return [str(interpreter.python), "-c", IMPORT_PROBE, module]


def _env(root: Path, interpreter: Interpreter) -> dict[str, str]:
    """`root`'s layer first on the path, then the interpreter's dependencies (`root`'s code shadows the built copy)."""
    env = probe_env(root)
    env["PYTHONPATH"] = os.pathsep.join([env["PYTHONPATH"], *map(str, interpreter.dependencies)])
    return env


def instructions(root: Path, target: str, interpreter: Interpreter = DEVELOPMENT) -> int:
    """Instructions executed by the import of `target` (with the interpreter's own start-up)."""
    out = subprocess.run(  # noqa: S603
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *_probe(root, target, interpreter)],  # noqa: S607
        env={**_env(root, interpreter), "PYTHONHASHSEED": "0"},
        capture_output=True,
        text=True,
        check=True,
    )
    return int(_COUNTED.search(out.stderr).group(1))


def counted_ratios(root: Path = ROOT, interpreter: Interpreter = DEVELOPMENT) -> dict[str, float] | None:
    """Each function's import of `root` in instructions, as a ratio to a bare `import boto3`; None without valgrind."""
    if shutil.which("valgrind") is None:
        return None
    targets = ["boto3", *(n for n in FUNCTIONS if (root / "functions" / n / "app.py").exists())]
    for target in targets:  # warms the bytecode cache, so no count includes compiling
        subprocess.run(_probe(root, target, interpreter), env=_env(root, interpreter), capture_output=True, check=True)  # noqa: S603
    with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        counts = dict(zip(targets, pool.map(lambda t: instructions(root, t, interpreter), targets), strict=True))
    return {name: counts[name] / counts["boto3"] for name in targets[1:]}


def compare(old_root: Path, interpreter: Interpreter = DEVELOPMENT) -> list[Pair]:
    before, after = counted_ratios(old_root, interpreter), counted_ratios(ROOT, interpreter)
    assert before is not None and after is not None, "valgrind is checked before"
    return [Pair(n, before[n], after[n]) for n in before]


def render(ref: str, pairs: list[Pair], where: str = DEVELOPMENT.where) -> str:
    lines = [
        f"Instructions of each handler's import as a ratio to those of `import boto3` {where}, {ref} beside this tree:",
        "",
        f"| function | {ref} | this tree | change |",
        "|---|---:|---:|---:|",
    ]
    lines += [
        f"| {p.function} | {p.before:.2f}x | {p.after:.2f}x | {p.after - p.before:+.2f}"
        f"{' heavier' if p.heavier else ''} |"
        for p in pairs
    ]
    return "\n".join(lines)


def main(ref: str, *, as_lambda: bool = False) -> int:
    if shutil.which("valgrind") is None:
        print("counting instructions needs valgrind: apt-get install valgrind", file=sys.stderr)
        return 2
    interpreter = LAMBDA if as_lambda else DEVELOPMENT
    if absent := missing(interpreter):
        print(f"not built: {', '.join(map(str, absent))} (make runtime-venv build-local)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="import-ab-") as folder:
        pairs = compare(export(ref, Path(folder)), interpreter)
    print(render(ref, pairs, interpreter.where))
    heavier = [p.function for p in pairs if p.heavier]
    if heavier:
        print(f"heavier than {ref} by more than {TOLERANCE}x: {', '.join(heavier)}", file=sys.stderr)
    return 1 if heavier else 0
