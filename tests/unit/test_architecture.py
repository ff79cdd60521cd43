"""The layer's shape: imports point one way, and no class or function grows past its size.

Layers of `layers/dealcopy/dealcopy`, top to bottom (a module may import from its own layer
and from any layer below it, never from one above; a longer prefix wins, so
`dealcopy.jobs.model` sits below `dealcopy.jobs`):

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
    9. dealcopy.jobs.{model, queued}, dealcopy.schedules.{records, names, repeat, delay, types,
       timemath, errors}                                 what storage persists (shared kernels)
   10. dealcopy.copying                                  the copy engine and its pure parts
   11. dealcopy.amo                                      the amoCRM client
   12. dealcopy.errors, dealcopy.messages, dealcopy.config, dealcopy.observability,
       dealcopy.accounts, dealcopy.licence, dealcopy.ids     shared kernel

Storage sits above the models it persists on purpose: a job record carries its copy plan
(so `copying` is below storage too), a repeat its schedule. Every import counts, also those under `TYPE_CHECKING` and
inside functions (lazy imports keep cold starts short; they are still arrows).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "layers" / "dealcopy" / "dealcopy"
SIZED = (ROOT / "layers", ROOT / "functions")
MAX_CLASS_LINES = 250
MAX_FUNCTION_LINES = 60

LAYERS: list[tuple[str, ...]] = [
    ("dealcopy.wiring",),
    ("dealcopy.web", "dealcopy.presets_api", "dealcopy.settings_view"),
    ("dealcopy.usecases",),
    ("dealcopy.dp", "dealcopy.schedules"),
    ("dealcopy.jobs",),
    ("dealcopy.install", "dealcopy.install_guard", "dealcopy.hosts"),
    ("dealcopy.auth",),
    ("dealcopy.storage",),
    (
        "dealcopy.jobs.model",
        "dealcopy.jobs.queued",
        "dealcopy.schedules.records",
        "dealcopy.schedules.names",
        "dealcopy.schedules.repeat",
        "dealcopy.schedules.delay",
        "dealcopy.schedules.types",
        "dealcopy.schedules.timemath",
        "dealcopy.schedules.errors",
    ),
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
