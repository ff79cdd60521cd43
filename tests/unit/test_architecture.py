"""The layer's shape: imports point one way, no package cycle, and nothing grows past its size.

Layers of `layers/dealcopy/dealcopy`, top to bottom (a module may import from its own layer
and from any layer below it, never from one above):

    1. dealcopy.wiring                                   composition root
    2. dealcopy.web, dealcopy.presets_api,
       dealcopy.settings_view                            HTTP edge (requests, sessions, problem+json)
    3. dealcopy.usecases                                 one function per route
    4. dealcopy.dp, dealcopy.schedules                   Digital Pipeline, repeat deals
    5. dealcopy.jobs                                     copy jobs: queue, worker, runner and steps
    6. dealcopy.install, dealcopy.install_guard,
       dealcopy.hosts                                    install, uninstall, the account's host
    7. dealcopy.auth                                     the widget's one-time tokens
    8. dealcopy.storage                                  DynamoDB repositories
    9. dealcopy.records                                  what storage persists and queues carry
   10. dealcopy.copying                                  the copy engine and its pure parts
   11. dealcopy.amo                                      the amoCRM client
   12. dealcopy.errors, dealcopy.messages, dealcopy.config, dealcopy.observability,
       dealcopy.accounts, dealcopy.licence, dealcopy.ids,
       dealcopy.fingerprints                             shared kernel

Layer order alone allows two packages of one layer to import each other; the cycle test
does not: at every level of the package tree, the siblings (subpackages and modules of one
package) import each other without a cycle. Every import counts, also those under
`TYPE_CHECKING` and inside functions (lazy imports keep cold starts short; they are still arrows).
"""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "layers" / "dealcopy" / "dealcopy"
SIZED = (ROOT / "layers", ROOT / "functions")
MAX_CLASS_LINES = 250
MAX_FUNCTION_LINES = 60
MAX_MODULE_LINES = 400

LAYERS: list[tuple[str, ...]] = [
    ("dealcopy.wiring",),
    ("dealcopy.web", "dealcopy.presets_api", "dealcopy.settings_view"),
    ("dealcopy.usecases",),
    ("dealcopy.dp", "dealcopy.schedules"),
    ("dealcopy.jobs",),
    ("dealcopy.install", "dealcopy.install_guard", "dealcopy.hosts"),
    ("dealcopy.auth",),
    ("dealcopy.storage",),
    ("dealcopy.records",),
    ("dealcopy.copying",),
    ("dealcopy.amo",),
    (
        "dealcopy.errors",
        "dealcopy.messages",
        "dealcopy.config",
        "dealcopy.observability",
        "dealcopy.accounts",
        "dealcopy.licence",
        "dealcopy.ids",
        "dealcopy.fingerprints",
    ),
]


def layer_of(module: str) -> int | None:
    """The index of the layer `module` belongs to (longest matching prefix), None if unlisted."""
    best: tuple[int, int] | None = None
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), index)
    return best[1] if best else None


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if "__pycache__" not in p.parts}


def imported(tree: ast.AST, known: set[str]) -> list[tuple[int, str]]:
    """(line, module) for every `dealcopy` module imported anywhere in the tree."""
    found: set[tuple[int, str]] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {(node.lineno, alias.name) for alias in node.names if alias.name.startswith("dealcopy.")}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] == "dealcopy":
            for alias in node.names:  # `from dealcopy import wiring` imports a module
                name = f"{node.module}.{alias.name}"
                found.add((node.lineno, name if name in known else str(node.module)))
    return sorted(found)


def test_every_layer_module_has_a_layer():
    unlisted = [m for m in layer_modules() if m != "dealcopy" and layer_of(m) is None]
    assert not unlisted, f"add these modules to LAYERS (and docs/architecture.md): {unlisted}"


def test_no_module_imports_from_a_layer_above_it():
    modules = layer_modules()
    known = set(modules)
    upward = []
    for name, path in modules.items():
        mine = layer_of(name)
        if mine is None:
            continue
        for line, target in imported(ast.parse(path.read_text(encoding="utf-8")), known):
            theirs = layer_of(target)
            if theirs is not None and theirs < mine:
                upward.append(f"{path.relative_to(ROOT)}:{line} {name} -> {target}")
    assert not upward, "imports from a layer above:\n" + "\n".join(upward)


def sibling_edges(modules: dict[str, Path]) -> dict[str, dict[str, str]]:
    """For each import a -> b, an arrow between the siblings that hold a and b under their common package.

    `dealcopy.storage.jobs -> dealcopy.records.job` is the arrow `dealcopy.storage -> dealcopy.records`;
    `dealcopy.jobs.steps.create -> dealcopy.jobs.work` is `dealcopy.jobs.steps -> dealcopy.jobs.work`.
    Each arrow keeps one import that makes it (for the failure message).
    """
    known = set(modules)
    edges: dict[str, dict[str, str]] = {}
    for name, path in modules.items():
        for line, target in imported(ast.parse(path.read_text(encoding="utf-8")), known):
            mine, theirs = name.split("."), target.split(".")
            common = 0
            while common < min(len(mine), len(theirs)) and mine[common] == theirs[common]:
                common += 1
            if common < len(mine) and common < len(theirs):
                source, sink = ".".join(mine[: common + 1]), ".".join(theirs[: common + 1])
                edges.setdefault(source, {}).setdefault(sink, f"{path.relative_to(ROOT)}:{line} -> {target}")
    return edges


def cycles(edges: dict[str, dict[str, str]]) -> list[list[str]]:
    """Every cycle a depth-first walk meets (each closing arrow once), as the list of its nodes."""
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def walk(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, {})):
            if state.get(nxt) == 1:
                found.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                walk(nxt)
        path.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            walk(node)
    return found


def test_no_package_imports_itself_back_through_another():
    edges = sibling_edges(layer_modules())
    found = cycles(edges)
    report = [
        " -> ".join(cycle) + "\n" + "\n".join(f"    {edges[a][b]}" for a, b in itertools.pairwise(cycle))
        for cycle in found
    ]
    assert not found, "import cycles:\n" + "\n".join(report)


def test_the_cycle_check_sees_a_cycle():
    edges = {"p.a": {"p.b": "x"}, "p.b": {"p.c": "y"}, "p.c": {"p.a": "z"}, "p.d": {"p.a": "w"}}
    assert cycles(edges) == [["p.a", "p.b", "p.c", "p.a"]]
    assert cycles({"p.a": {"p.b": "x"}, "p.d": {"p.b": "y"}}) == []


def _spans(tree: ast.AST) -> list[tuple[str, str, int, int]]:
    return [
        (type(node).__name__, node.name, node.lineno, (node.end_lineno or node.lineno) - node.lineno + 1)
        for node in ast.walk(tree)
        if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
    ]


def test_no_class_over_250_lines_and_no_function_over_60():
    too_long = []
    for root in SIZED:
        for path in sorted(root.rglob("*.py")):
            if "__pycache__" in path.parts:
                continue
            for kind, name, line, length in _spans(ast.parse(path.read_text(encoding="utf-8"))):
                limit = MAX_CLASS_LINES if kind == "ClassDef" else MAX_FUNCTION_LINES
                if length > limit:
                    too_long.append(f"{path.relative_to(ROOT)}:{line} {kind} {name}: {length} lines (max {limit})")
    assert not too_long, "too long:\n" + "\n".join(too_long)


def test_no_module_over_400_lines():
    too_long = []
    for root in SIZED:
        for path in sorted(root.rglob("*.py")):
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if "__pycache__" not in path.parts and lines > MAX_MODULE_LINES:
                too_long.append(f"{path.relative_to(ROOT)}: {lines} lines (max {MAX_MODULE_LINES})")
    assert not too_long, "too long:\n" + "\n".join(too_long)
