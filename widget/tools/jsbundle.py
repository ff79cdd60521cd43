"""Bundles the widget's modules (widget/src/*.js) into the one script.js amoCRM loads.

amoCRM loads only `script.js` from the archive and expects it to be ONE anonymous RequireJS
module returning the widget's constructor. The sources are split by screen, each file one named
module, `define('dealcopy/<file name>', [deps], function (...) { ... })`, whose dependencies are
other `dealcopy/*` modules or what amoCRM's page provides (EXTERNALS). The bundle is

    define([<externals>], function () {
      var external = {...}, modules = {};
      function define(name, deps, factory) { ... }   // a private registry, shadowing RequireJS
      <every module, dependencies first>
      return modules['dealcopy/widget'];
    });

so the named modules never reach amoCRM's shared RequireJS namespace (no clash with other
widgets, nothing left behind between versions), and the output is the same for the same sources.
"""

from __future__ import annotations

import json
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

PREFIX = "dealcopy/"
MAIN = "dealcopy/widget"
# What amoCRM's page (and the harness page) defines for widgets; anything else is a typo.
EXTERNALS = ("jquery", "twigjs")
# The one top-level call a module file makes, at the start of a line.
HEADER = re.compile(r"^define\(\s*'([^']*)'\s*,\s*\[([^\]]*)\]\s*,\s*function\s*\(([^)]*)\)\s*\{", re.M)
TOP_DEFINE = re.compile(r"^define\(", re.M)
QUOTED = re.compile(r"'([^']*)'")

RUNTIME = """\
  // A private module registry: the modules below are defined and resolved inside this one
  // anonymous RequireJS module, so none of their names reaches amoCRM's RequireJS.
  var external = {externals};
  var modules = {{}};
  function define(name, deps, factory) {{
    modules[name] = factory.apply(
      null,
      deps.map(function (dep) {{
        if (!(dep in modules) && !(dep in external)) {{
          throw new Error('dealcopy: module ' + dep + ' is needed by ' + name + ' before it is defined');
        }}
        return dep in modules ? modules[dep] : external[dep];
      }})
    );
  }}
"""


class BundleError(ValueError):
    """The sources cannot make a widget; `problems` says why, one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Module:
    name: str
    deps: tuple[str, ...]
    source: str  # the file, relative to the widget folder (for messages)
    text: str


def read_module(path: Path, widget: Path) -> tuple[Module | None, list[str]]:
    """One source file as a module, or the reasons it is not one."""
    where = path.relative_to(widget).as_posix()
    text = path.read_text(encoding="utf-8")
    headers = HEADER.findall(text)
    if len(TOP_DEFINE.findall(text)) != 1 or len(headers) != 1:
        expected = f"define('{PREFIX}{path.stem}', [...], function (...) {{"
        return None, [f"{where}: must hold exactly one top-level {expected}"]
    name, deps_text, params_text = headers[0]
    deps = tuple(QUOTED.findall(deps_text))
    params = [p.strip() for p in params_text.split(",") if p.strip()]
    problems = []
    if name != PREFIX + path.stem:
        problems.append(f"{where}: defines {name!r}, not {PREFIX + path.stem!r} (a module is named by its file)")
    if len(params) != len(deps):
        problems.append(f"{where}: {len(deps)} dependencies but {len(params)} factory parameters")
    for dep in deps:
        if not dep.startswith(PREFIX) and dep not in EXTERNALS:
            problems.append(f"{where}: depends on {dep!r}; amoCRM provides only {', '.join(EXTERNALS)}")
    return Module(name, deps, where, text), problems


def load_modules(widget: Path) -> tuple[dict[str, Module], list[str]]:
    modules: dict[str, Module] = {}
    problems: list[str] = []
    for path in sorted((widget / "src").glob("*.js")):
        module, found = read_module(path, widget)
        problems += found
        if module is not None:
            modules[module.name] = module
    if MAIN not in modules:
        problems.append(f"src/{MAIN[len(PREFIX) :]}.js (the module that returns the widget) is missing")
    return modules, problems


def load_order(modules: dict[str, Module]) -> tuple[list[Module], list[str]]:
    """Every module after its dependencies, walked from MAIN in the order each lists them."""
    ordered: list[Module] = []
    problems: list[str] = []
    state: dict[str, str] = {}  # name -> "visiting" | "done"

    def visit(name: str, chain: tuple[str, ...]) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "visiting":
            problems.append(f"dependency cycle: {' -> '.join((*chain, name))}")
            return
        state[name] = "visiting"
        module = modules[name]
        for dep in module.deps:
            if not dep.startswith(PREFIX):
                continue
            if dep not in modules:
                problems.append(f"{module.source}: depends on {dep!r}, which no src/*.js defines")
                continue
            visit(dep, (*chain, name))
        state[name] = "done"
        ordered.append(module)

    visit(MAIN, ())
    unused = sorted(m.source for name, m in modules.items() if name not in state)
    problems += [f"{source}: no module depends on it (dead code, or a missing dependency)" for source in unused]
    return ordered, problems


def indent(text: str) -> str:
    return "\n".join(f"  {line}" if line.strip() else "" for line in text.rstrip("\n").split("\n"))


def render(ordered: list[Module]) -> str:
    externals = sorted({dep for module in ordered for dep in module.deps if not dep.startswith(PREFIX)})
    mapping = "{" + ", ".join(f"{json.dumps(name)}: arguments[{i}]" for i, name in enumerate(externals)) + "}"
    names = textwrap.fill(", ".join(m.name for m in ordered), 96, initial_indent=" * ", subsequent_indent=" * ")
    parts = [
        "/*\n"
        " * «Копия сделки» — the amoCRM widget of amo-dealcopy, built by `make widget` from widget/src/*.js:\n"
        " * edit those files, not this one (widget/README.md). Modules, dependencies first:\n"
        f"{names}\n"
        " */\n"
        f"define({json.dumps(externals)}, function () {{\n"
        "  'use strict';\n\n" + RUNTIME.format(externals=mapping)
    ]
    parts += [f"\n  // ---- {module.source}\n{indent(module.text)}\n" for module in ordered]
    parts.append(f"\n  return modules[{json.dumps(MAIN)}];\n}});\n")
    return "".join(parts)


def bundle(widget: Path) -> str:
    """script.js for the archive; raises BundleError when the sources do not form one widget."""
    modules, problems = load_modules(widget)
    if not problems:
        ordered, problems = load_order(modules)
    if problems:
        raise BundleError(problems)
    return render(ordered)
