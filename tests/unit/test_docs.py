"""The docs say what the code does: the README's layout, the configuration table, the layer order,
the routes and error codes of docs/api.md, and every relative link.

Each check reads the document and the thing it describes (the tree, `Settings`, template.yaml,
`tests/unit/test_architecture.py`, the message catalog), so a change to one without the other fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

from dealcopy.config import Settings
from dealcopy.messages import CATALOG
from devstack.template import load_template
from tests.unit.test_architecture import LAYERS

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
DOCS = ROOT / "docs"
MAX_README_LINES = 150
LAYOUT_ROOTS = ("layers/dealcopy/dealcopy", "tests")
LINKED = [README, ROOT / "NOTES.md", *sorted(DOCS.glob("*.md"))]
# Variables in the template that are not `Settings` fields: read by powertools itself.
NOT_SETTINGS = re.compile(r"^POWERTOOLS_[A-Z_]+$")


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _section(text: str, heading: str) -> str:
    """The body of `## heading` up to the next heading of the same level."""
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert match, f"no section '## {heading}'"
    return match.group(1)


def _between(text: str, name: str) -> str:
    match = re.search(rf"<!-- {name}:begin -->\n(.*?)<!-- {name}:end -->", text, re.S)
    assert match, f"no <!-- {name}:begin/end --> block"
    return match.group(1)


def _cells(line: str) -> list[str]:
    """The cells of a Markdown table row; a `|` inside backticks does not split."""
    cells, current, in_code = [], "", False
    for char in line.strip().strip("|"):
        if char == "`":
            in_code = not in_code
        if char == "|" and not in_code:
            cells.append(current.strip())
            current = ""
        else:
            current += char
    cells.append(current.strip())
    return cells


def _rows(table: str) -> list[list[str]]:
    """Data rows of the Markdown tables in `table` (header and separator rows dropped)."""
    lines = [line for line in table.splitlines() if line.startswith("|")]
    rows = []
    for index, line in enumerate(lines):
        if re.fullmatch(r"\|[\s|:-]+\|", line.strip()):
            continue
        if index + 1 < len(lines) and re.fullmatch(r"\|[\s|:-]+\|", lines[index + 1].strip()):
            continue  # a header row
        rows.append(_cells(line))
    return rows


def _code(cell: str) -> str:
    """The text of the first `code` span of a cell; `""` stands for the empty string."""
    match = re.search(r"`([^`]*)`", cell)
    assert match, f"expected a `code` span in {cell!r}"
    return "" if match.group(1) == '""' else match.group(1)


# ---------------------------------------------------------------- README


def test_the_readme_is_at_most_150_lines():
    lines = len(_read(README).splitlines())
    assert lines <= MAX_README_LINES, f"README.md has {lines} lines (max {MAX_README_LINES}): move detail to docs/"


def _package_dirs(root: str) -> set[str]:
    """Every folder under `root` that holds Python code (at any depth), as `root/…/`."""
    base = ROOT / root
    found: set[str] = set()
    for path in base.rglob("*.py"):
        if "__pycache__" in path.parts or any(part.startswith(".") for part in path.relative_to(base).parts):
            continue
        for parent in path.relative_to(base).parents:
            if parent != Path("."):
                found.add(f"{root}/{parent.as_posix()}/")
    return found


def _layout_paths() -> list[str]:
    return [_code(row[0]) for row in _rows(_section(_read(README), "Layout"))]


def test_the_readme_layout_lists_every_folder_of_the_layer_and_of_tests():
    listed = set(_layout_paths())
    for root in LAYOUT_ROOTS:
        missing = sorted(_package_dirs(root) - listed)
        assert not missing, f"README.md '## Layout' misses {missing}"


def test_the_readme_layout_lists_nothing_that_does_not_exist():
    ghosts = [p for p in _layout_paths() if "<" not in p and not (ROOT / p).exists()]
    assert not ghosts, f"README.md '## Layout' lists paths that do not exist: {ghosts}"


# ---------------------------------------------------------------- configuration


def _template_env() -> dict[str, list[str]]:
    """Every variable template.yaml sets (Globals and per function) -> where it is set."""
    template = load_template()
    where = {name: ["Globals"] for name in template["Globals"]["Function"]["Environment"]["Variables"]}
    for name, resource in template["Resources"].items():
        if resource["Type"] == "AWS::Serverless::Function":
            for variable in (resource["Properties"].get("Environment") or {}).get("Variables") or {}:
                where.setdefault(variable, []).append(name)
    return where


def _config_rows() -> list[list[str]]:
    return _rows(_between(_read(DOCS / "operations.md"), "config"))


def test_the_configuration_table_has_one_row_per_settings_field_named_as_the_environment_reads_it():
    fields = [(_code(row[0]), row[1]) for row in _config_rows() if row[1] not in ("–", "-")]
    names = [_code(field) for _, field in fields]
    assert sorted(names) == sorted(Settings.names()), "rows of docs/operations.md != Settings fields"
    assert len(names) == len(set(names)), "a Settings field is listed twice"
    wrong = [(var, _code(field)) for var, field in fields if var != _code(field).upper()]
    assert not wrong, f"variable names differ from the field names in upper case: {wrong}"


def test_the_configuration_table_gives_each_settings_default():
    defaults = Settings()
    for row in _config_rows():
        if row[1] in ("–", "-"):
            continue
        field = _code(row[1])
        documented = Settings.from_env({field.upper(): _code(row[2])})
        assert getattr(documented, field) == getattr(defaults, field), f"default of {field} in docs/operations.md"


def test_the_configuration_table_says_what_template_yaml_sets_and_why_not():
    env = _template_env()
    rows = {_code(row[0]): row for row in _config_rows()}
    undocumented = sorted(set(env) - set(rows))
    assert not undocumented, f"template.yaml sets variables docs/operations.md does not list: {undocumented}"
    for name, row in rows.items():
        where = row[3]
        if where.startswith("not set"):
            assert name not in env, f"{name}: the table says not set, template.yaml sets it ({env.get(name)})"
            assert len(where) > len("not set: ") + 5, f"{name}: say why template.yaml does not set it"
        else:
            assert name in env, f"{name}: the table says template.yaml sets it, it does not"
            unnamed = [place for place in env[name] if place not in where]
            assert not unnamed, f"{name}: also set in {unnamed}, the table says {where!r}"
    for name in set(env) - {f.upper() for f in Settings.names()}:
        assert NOT_SETTINGS.match(name), f"{name} is set by template.yaml but read by no Settings field"


def test_the_parameters_table_lists_every_template_parameter_with_its_default():
    parameters = load_template()["Parameters"]
    rows = {_code(row[0]): row for row in _rows(_between(_read(DOCS / "operations.md"), "params"))}
    assert sorted(rows) == sorted(parameters), "docs/operations.md parameters != template.yaml Parameters"
    for name, spec in parameters.items():
        if "Default" in spec:
            assert _code(rows[name][1]) == str(spec["Default"]), f"default of {name} in docs/operations.md"
        else:
            assert "required" in rows[name][1], f"{name} has no default: mark it (required)"


def test_operations_md_names_every_alarm_of_the_template():
    text = _section(_read(DOCS / "operations.md"), "Alarms")
    alarms = [n for n, r in load_template()["Resources"].items() if r["Type"] == "AWS::CloudWatch::Alarm"]
    missing = [name for name in alarms if f"`{name}`" not in text]
    assert not missing, f"docs/operations.md '## Alarms' misses {missing}"


# ---------------------------------------------------------------- architecture and API


def test_the_layer_order_in_architecture_md_is_the_one_the_import_test_enforces():
    block = _between(_read(DOCS / "architecture.md"), "layers")
    documented = []
    for line in block.splitlines():
        match = re.match(r"^\d+\. (.*?) — ", line)
        if match:
            documented.append(tuple(re.findall(r"`([^`]+)`", match.group(1))))
    assert documented == [tuple(layer) for layer in LAYERS], "docs/architecture.md layers != test_architecture.LAYERS"


def _routes() -> set[str]:
    routes = set()
    for resource in load_template()["Resources"].values():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        for event in (resource["Properties"].get("Events") or {}).values():
            if event["Type"] == "HttpApi" and event["Properties"]["Method"].upper() != "OPTIONS":
                routes.add(f"{event['Properties']['Method'].upper()} {event['Properties']['Path']}")
    return routes


def test_api_md_describes_every_route_of_the_template_and_no_other():
    documented = set(re.findall(r"^### `([A-Z]+ /[^`]*)`$", _read(DOCS / "api.md"), re.M))
    assert sorted(_routes() - documented) == [], "routes without a section in docs/api.md"
    assert sorted(documented - _routes()) == [], "docs/api.md describes routes template.yaml does not have"


def test_every_error_code_in_api_md_is_in_the_message_catalog():
    codes = set()
    for row in _rows(_read(DOCS / "api.md")):
        if re.fullmatch(r"\d{3}", row[0]) and len(row) > 1:
            codes |= set(re.findall(r"`([^`]+)`", row[1]))
    assert codes, "no error tables found in docs/api.md"
    unknown = sorted(codes - set(CATALOG))
    assert not unknown, f"docs/api.md names codes the catalog does not have: {unknown}"


# ---------------------------------------------------------------- links


def _slug(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    text = re.sub(r"^```.*?^```", "", _read(path), flags=re.S | re.M)
    return {_slug(h) for h in re.findall(r"^#{1,6} (.+)$", text, re.M)}


def test_every_relative_link_in_the_readme_notes_and_docs_resolves():
    broken = []
    for doc in LINKED:
        text = re.sub(r"^```.*?^```", "", _read(doc), flags=re.S | re.M)
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"^[a-z]+:", target):
                continue
            file_part, _, anchor = target.partition("#")
            resolved = (doc.parent / file_part).resolve() if file_part else doc
            if not resolved.exists():
                broken.append(f"{doc.relative_to(ROOT)}: {target}")
            elif anchor and resolved.suffix == ".md" and anchor not in _anchors(resolved):
                broken.append(f"{doc.relative_to(ROOT)}: {target} (no such heading)")
    assert not broken, "broken links:\n" + "\n".join(broken)
