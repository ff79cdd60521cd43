"""`make widget`: the archive amoCRM takes, and the checks that stop a broken one (no browser needed)."""

from __future__ import annotations

import importlib.util
import json
import shutil
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WIDGET = ROOT / "widget"


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
    script = sources / "script.js"
    script.write_text(script.read_text(encoding="utf-8") + "\n// t('bulk.nowhere')\n", encoding="utf-8")
    problems = build.build(sources, tmp_path / "widget.zip")
    assert any("panel.nowhere is missing" in p for p in problems)
    assert any("bulk.nowhere is missing" in p for p in problems)


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
