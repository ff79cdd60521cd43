"""`make widget`: the archive amoCRM takes, and the checks that stop a broken one (no browser needed)."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from widget.harness.server import WidgetFiles

ROOT = Path(__file__).resolve().parents[2]
WIDGET = ROOT / "widget"
NODE = shutil.which("node")
# Runs script.js the way RequireJS would, with a define() that records its calls, then calls the
# one factory with a stand-in jQuery and the constructor the way amoCRM does.
NODE_LOAD = """
const fs = require('fs'), vm = require('vm');
const calls = [];
vm.runInNewContext(fs.readFileSync(0, 'utf8'), { define: (...args) => calls.push(args), window: {} });
const [deps, factory] = calls[0];
const CustomWidget = factory(function jQueryStandIn() {});
const widget = {};
CustomWidget.call(widget);
console.log(JSON.stringify({
  calls: calls.length,
  deps: deps,
  factory: typeof factory,
  callbacks: Object.keys(widget.callbacks).sort(),
}));
"""


@pytest.fixture(scope="module")
def build():
    spec = importlib.util.spec_from_file_location("widget_build", WIDGET / "tools" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def sources(tmp_path) -> Path:
    """A copy of the widget's sources to break on purpose."""
    copy = tmp_path / "widget"
    shutil.copytree(WIDGET, copy, ignore=shutil.ignore_patterns("harness", "tools", "images"))
    return copy


def test_archive_has_the_files_at_its_root_and_the_deployed_api(build, tmp_path):
    out = tmp_path / "widget.zip"
    assert build.build(WIDGET, out, "https://abc123.execute-api.eu-central-1.amazonaws.com/") == []
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        manifest = json.loads(archive.read("manifest.json"))
        script = archive.read("script.js").decode()
    assert {"manifest.json", "script.js", "style.css", "i18n/ru.json", "i18n/en.json"} <= set(names)
    assert {f"images/{name}" for name in build.SIZES} <= set(names)
    assert "templates/rule_form.twig" in names
    assert not [n for n in names if n.startswith(("harness/", "tools/", "widget/")) or n.endswith(".py")]
    assert manifest["dp"]["webhook_url"] == "https://abc123.execute-api.eu-central-1.amazonaws.com/dp/hook"
    assert "'https://abc123.execute-api.eu-central-1.amazonaws.com'" in script
    assert build.PLACEHOLDER_URL not in script
    assert manifest["widget"]["interface_version"] == 2
    assert set(manifest["locations"]) == {"lcard-1", "llist-1", "settings", "digital_pipeline"}
    assert manifest["dp"]["action_multiple"] is False
    assert {code: spec["type"] for code, spec in manifest["dp"]["settings"].items()} == {
        "rule": "text",
        "signature": "text",
    }


def test_the_same_sources_give_the_same_bytes(build, tmp_path):
    first, second = tmp_path / "a.zip", tmp_path / "b.zip"
    assert build.build(WIDGET, first) == [] and build.build(WIDGET, second) == []
    assert first.read_bytes() == second.read_bytes()


def test_images_are_generated_in_the_sizes_amocrm_asks_for(build, tmp_path):
    written = build.write_all(tmp_path)
    sizes = {path.name: build.png_size(path.read_bytes()) for path in written}
    assert sizes == build.SIZES
    assert sizes["logo_dp.png"] == (174, 109)


def test_a_key_missing_in_one_language_fails_the_build(build, sources, tmp_path):
    en = json.loads((sources / "i18n" / "en.json").read_text(encoding="utf-8"))
    del en["panel"]["copy"]
    (sources / "i18n" / "en.json").write_text(json.dumps(en, ensure_ascii=False), encoding="utf-8")
    problems = build.build(sources, tmp_path / "widget.zip")
    assert any(
        "i18n/en.json: panel.copy is missing (used in templates/bulk.twig, templates/panel.twig)" in p for p in problems
    )
    assert not (tmp_path / "widget.zip").exists()


def test_an_unknown_key_in_a_template_or_script_fails_the_build(build, sources, tmp_path):
    template = sources / "templates" / "panel.twig"
    template.write_text(template.read_text(encoding="utf-8") + "{{ lang.panel.nowhere|e }}", encoding="utf-8")
    script = sources / "src" / "mass_copy.js"
    script.write_text(script.read_text(encoding="utf-8") + "\n// t('bulk.nowhere')\n", encoding="utf-8")
    problems = build.build(sources, tmp_path / "widget.zip")
    assert any("panel.nowhere is missing" in p for p in problems)
    assert "i18n/en.json: bulk.nowhere is missing (used in src/mass_copy.js)" in problems


def test_a_wrong_image_or_manifest_fails_the_build(build, sources, tmp_path):
    manifest = json.loads((sources / "manifest.json").read_text(encoding="utf-8"))
    manifest["dp"]["action_multiple"] = True
    del manifest["dp"]["settings"]["signature"]
    (sources / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert build.check_manifest(manifest) == [
        "manifest: dp.action_multiple must be false",
        "manifest: dp.settings.signature must be a text input",
    ]
    images = sources / "images"
    build.write_all(images)
    make_images = importlib.import_module("make_images")  # beside build.py, which put it on sys.path
    (images / "logo_dp.png").write_bytes(make_images.png(10, 10, make_images.render(10, 10)))
    assert build.check_images(sources) == ["images/logo_dp.png is 10x10, amoCRM wants 174x109"]


# --- script.js: the modules of widget/src bundled into the one module amoCRM loads


def src_modules() -> list[Path]:
    return sorted((WIDGET / "src").glob("*.js"))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_sources_are_one_module_per_screen_and_helper():
    names = {path.stem for path in src_modules()}
    screens = {"card", "mass_copy", "dp", "settings_page"}
    helpers = {"api", "problems", "i18n", "env", "timers", "ids", "templates", "meta", "rule_form", "panel"}
    assert screens | helpers | {"widget"} <= names
    assert not (WIDGET / "script.js").exists(), "script.js is built from src/*.js; edit the modules"


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_built_script_is_one_anonymous_module_holding_every_module(build, tmp_path):
    out = tmp_path / "widget.zip"
    assert build.build(WIDGET, out) == []
    with zipfile.ZipFile(out) as archive:
        script = archive.read("script.js").decode()

    # every module, once, each after the modules it depends on; no second top-level define
    assert len(re.findall(r"^define\(", script, re.M)) == 1
    positions = {}
    for path in src_modules():
        name = f"dealcopy/{path.stem}"
        assert script.count(f"define('{name}', [") == 1, name
        positions[name] = script.index(f"define('{name}', [")
        assert path.read_text(encoding="utf-8").strip().splitlines()[-1] in script
    jsbundle = importlib.import_module("jsbundle")  # beside build.py, which put it on sys.path
    modules, problems = jsbundle.load_modules(WIDGET)
    assert problems == []
    for name, module in modules.items():
        assert all(positions[dep] < positions[name] for dep in module.deps if dep.startswith("dealcopy/"))

    # and run as RequireJS would: exactly one define call, anonymous, returning the constructor
    answer = subprocess.run([NODE, "-e", NODE_LOAD], input=script, capture_output=True, text=True, check=True)  # noqa: S603
    loaded = json.loads(answer.stdout)
    assert loaded == {
        "calls": 1,
        "deps": ["jquery"],
        "factory": "function",
        "callbacks": sorted(
            [
                "render", "init", "bind_actions", "settings", "onSave", "destroy", "dpSettings",
                "advancedSettings", "leads", "contacts", "todo",
            ]
        ),
    }  # fmt: skip


@pytest.mark.parametrize(
    ("file", "old", "new", "problem"),
    [
        (
            "meta.js",
            "define('dealcopy/meta', ['jquery'], function ($) {",
            "define('dealcopy/metadata', ['jquery'], function ($) {",
            "src/meta.js: defines 'dealcopy/metadata', not 'dealcopy/meta' (a module is named by its file)",
        ),
        (
            "meta.js",
            "define('dealcopy/meta', ['jquery'], function ($) {",
            "define('dealcopy/meta', ['jquery', 'dealcopy/rule_form'], function ($, form) {",
            "dependency cycle: dealcopy/widget -> dealcopy/rule_form -> dealcopy/meta -> dealcopy/rule_form",
        ),
        (
            "problems.js",
            "define('dealcopy/problems', ['jquery'], function ($) {",
            "define('dealcopy/problems', ['jquery', 'dealcopy/nowhere'], function ($, nowhere) {",
            "src/problems.js: depends on 'dealcopy/nowhere', which no src/*.js defines",
        ),
        (
            "problems.js",
            "define('dealcopy/problems', ['jquery'], function ($) {",
            "define('dealcopy/problems', ['jquery', 'underscore'], function ($, _) {",
            "src/problems.js: depends on 'underscore'; amoCRM provides only jquery, twigjs",
        ),
        (
            "problems.js",
            "define('dealcopy/problems', ['jquery'], function ($) {",
            "define('dealcopy/problems', ['jquery', 'dealcopy/meta'], function ($) {",
            "src/problems.js: 2 dependencies but 1 factory parameters",
        ),
        (
            "card.js",
            "  return { create: create };\n});\n",
            "  return { create: create };\n});\ndefine('dealcopy/card2', [], function () {});\n",
            "src/card.js: must hold exactly one top-level define('dealcopy/card', [...], function (...) {",
        ),
    ],
)
def test_modules_that_do_not_form_one_widget_fail_the_build(build, sources, tmp_path, file, old, new, problem):
    edit(sources / "src" / file, old, new)
    with pytest.raises(build.BundleError) as raised:
        build.bundle(sources)
    assert problem in raised.value.problems


def test_a_module_nothing_uses_or_a_missing_main_module_fails_the_build(build, sources, tmp_path):
    (sources / "src" / "orphan.js").write_text("define('dealcopy/orphan', [], function () {\n  return {};\n});\n")
    with pytest.raises(build.BundleError) as raised:
        build.bundle(sources)
    assert raised.value.problems == ["src/orphan.js: no module depends on it (dead code, or a missing dependency)"]
    (sources / "src" / "widget.js").unlink()
    problems = build.build(sources, tmp_path / "widget.zip")
    assert "src: src/widget.js (the module that returns the widget) is missing" in problems
    assert not (tmp_path / "widget.zip").exists()


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_a_module_that_does_not_parse_fails_the_build_with_its_line(build, sources):
    edit(sources / "src" / "dp.js", "var SIGN_DELAY_MS = 350;", "var SIGN_DELAY_MS = ;")
    problems = build.check_script(sources, build.bundle(sources))
    assert any(p.startswith("does not parse: src/dp.js:") and "Unexpected token" in p for p in problems), problems
    assert any(p.startswith("does not parse: script.js (bundled):") for p in problems), problems


def test_a_template_a_screen_lists_must_exist(build, sources):
    edit(
        sources / "src" / "card.js",
        "var CARD_TEMPLATES = ['panel', 'result'];",
        "var CARD_TEMPLATES = ['panel', 'gone'];",
    )
    assert build.check_templates(sources) == ["templates/gone.twig is missing (listed in src/card.js)"]


def test_the_dev_harness_serves_the_sources_bundled(build, sources):
    assert WidgetFiles(WIDGET).read("script.js") == build.bundle(WIDGET).encode()
    edit(
        sources / "src" / "problems.js",
        "define('dealcopy/problems', ['jquery']",
        "define('dealcopy/problems', ['jquery', 'x']",
    )
    served = WidgetFiles(sources).read("script.js").decode()
    assert served.startswith("throw new Error(") and "src/problems.js: depends on 'x'" in served
