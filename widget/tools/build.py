"""Builds dist/widget.zip the way amoCRM takes a widget upload, and checks it first.

    python widget/tools/build.py [--backend-url https://<api id>.execute-api.<region>.amazonaws.com] \
        [--out dist/widget.zip]

Checks (each failure is printed; any failure exits 1 and writes no archive):
  * manifest.json: the fields amoCRM requires, interface_version 2, our four locations,
    the `dp` block (action_multiple, webhook_url, the `rule` and `signature` text inputs);
  * script: the modules of src/*.js form one widget (jsbundle.py: names, dependencies, no cycles,
    nothing unused), and each module and the bundled script.js parse (node, when installed);
  * i18n: every key the manifest, the modules (`t('a.b')`) and templates (`lang.a.b`) use exists
    in both ru.json and en.json, and both files have the same keys;
  * images: every logo exists, is a PNG of the size amoCRM asks for and is under 300 KB;
  * templates: every `templates/<name>.twig` a module lists in a `..._TEMPLATES = [...]` exists.

The archive has the files at its root (manifest.json, script.js, style.css, i18n/, images/,
templates/), fixed timestamps and a fixed order, so the same sources give the same bytes;
script.js is the bundle of src/*.js (one anonymous RequireJS module, what amoCRM loads).
`--backend-url` puts the deployed API into the archive: the default address in script.js and
`dp.webhook_url` (`<url>/dp/hook`) in the manifest; the sources keep the placeholder. Before that
it must be https and answer `GET <url>/health` as our API does (`{"service": "amo-dealcopy", ...}`),
with a certificate Python trusts: an archive pointing at a wrong or dead address is refused.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import ssl
import subprocess
import sys
import urllib.error
import urllib.request
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from jsbundle import BundleError, bundle
from make_images import SIZES, png_size, write_all

WIDGET = Path(__file__).resolve().parents[1]
ROOT = WIDGET.parent
PLACEHOLDER_URL = "https://api.dealcopy.example"
LANGUAGES = ("ru", "en")
LOCATIONS = {"lcard-1", "llist-1", "settings", "digital_pipeline"}
DP_INPUTS = ("rule", "signature")
MAX_IMAGE_BYTES = 300 * 1024
ZIP_TIME = (2025, 1, 1, 0, 0, 0)

T_CALL = re.compile(r"""\bt\(\s*'([a-z0-9_.]+)'""")
T_PLURAL = re.compile(r"""'(licence\.days\.[a-z]+)'""")
LANG_REF = re.compile(r"\blang\.([a-z0-9_]+(?:\.[a-z0-9_]+)+)")
TEMPLATE_LIST = re.compile(r"\b[A-Z_]*TEMPLATES\s*=\s*\[([^\]]*)\]")
# Parses each file named on the command line and the bundle on stdin, in one node process.
NODE_PARSE = """
const fs = require('fs'), vm = require('vm');
const sources = process.argv.slice(1).map((f) => [f, fs.readFileSync(f, 'utf8')]);
sources.push(['script.js (bundled)', fs.readFileSync(0, 'utf8')]);
for (const [name, text] of sources) {
  try { new vm.Script(text, { filename: name }); }
  catch (err) { console.log((err.stack.split('\\n')[0] || name) + ': ' + err.message); }
}
"""


def flatten(tree: dict, prefix: str = "") -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, path + "."))
        else:
            out[path] = value
    return out


def check_manifest(manifest: dict) -> list[str]:
    problems = []
    widget = manifest.get("widget") or {}
    for key in ("name", "description", "short_description", "version", "interface_version", "locale"):
        if key not in widget:
            problems.append(f"manifest: widget.{key} is missing")
    if widget.get("interface_version") != 2:
        problems.append("manifest: widget.interface_version must be 2")
    if sorted(widget.get("locale") or []) != sorted(LANGUAGES):
        problems.append(f"manifest: widget.locale must be {list(LANGUAGES)}")
    if not re.fullmatch(r"\d+\.\d+\.\d+", str(widget.get("version", ""))):
        problems.append("manifest: widget.version must look like 1.2.3")
    missing = LOCATIONS - set(manifest.get("locations") or [])
    if missing:
        problems.append(f"manifest: locations lack {sorted(missing)}")
    backend = (manifest.get("settings") or {}).get("backend_url") or {}
    if backend.get("type") != "text":
        problems.append("manifest: settings.backend_url must be a text setting")
    dp = manifest.get("dp") or {}
    if dp.get("action_multiple") is not False:
        problems.append("manifest: dp.action_multiple must be false")
    hook = urlsplit(str(dp.get("webhook_url", "")))
    if hook.scheme != "https" or not hook.netloc or not hook.path.endswith("/dp/hook"):
        problems.append("manifest: dp.webhook_url must be https://<api>/dp/hook")
    inputs = dp.get("settings") or {}
    for code in DP_INPUTS:
        if (inputs.get(code) or {}).get("type") != "text":
            problems.append(f"manifest: dp.settings.{code} must be a text input")
    return problems


def manifest_keys(manifest: dict) -> set[str]:
    keys = {manifest["widget"][k] for k in ("name", "description", "short_description") if k in manifest["widget"]}
    keys |= {s["name"] for s in (manifest.get("settings") or {}).values() if "name" in s}
    keys |= {s["name"] for s in ((manifest.get("dp") or {}).get("settings") or {}).values() if "name" in s}
    return keys


def used_keys(widget: Path, manifest: dict) -> dict[str, set[str]]:
    """i18n key -> files that use it."""
    used: dict[str, set[str]] = {}

    def add(key: str, where: str) -> None:
        used.setdefault(key, set()).add(where)

    for key in manifest_keys(manifest):
        add(key, "manifest.json")
    for module in sorted((widget / "src").glob("*.js")):
        script = module.read_text(encoding="utf-8")
        for pattern in (T_CALL, T_PLURAL):
            for key in pattern.findall(script):
                add(key, f"src/{module.name}")
    for template in sorted((widget / "templates").glob("*.twig")):
        for key in LANG_REF.findall(template.read_text(encoding="utf-8")):
            add(key, f"templates/{template.name}")
    return used


def check_i18n(widget: Path, manifest: dict) -> list[str]:
    problems = []
    strings = {}
    for lang in LANGUAGES:
        path = widget / "i18n" / f"{lang}.json"
        raw = path.read_bytes()
        if raw.startswith(b"\xef\xbb\xbf"):
            problems.append(f"i18n/{lang}.json: UTF-8 with BOM (amoCRM wants no BOM)")
        strings[lang] = flatten(json.loads(raw.decode("utf-8")))
        if strings[lang].get("lang.code") != lang:
            problems.append(f"i18n/{lang}.json: lang.code must be {lang!r}")
        empty = [k for k, v in strings[lang].items() if not isinstance(v, str) or not v.strip()]
        problems += [f"i18n/{lang}.json: {key} is empty" for key in empty]
    for key, where in sorted(used_keys(widget, manifest).items()):
        for lang in LANGUAGES:
            if key not in strings[lang]:
                problems.append(f"i18n/{lang}.json: {key} is missing (used in {', '.join(sorted(where))})")
    ru, en = set(strings["ru"]), set(strings["en"])
    problems += [f"i18n/en.json: {key} is missing (present in ru.json)" for key in sorted(ru - en)]
    problems += [f"i18n/ru.json: {key} is missing (present in en.json)" for key in sorted(en - ru)]
    return problems


def unused_keys(widget: Path, manifest: dict) -> list[str]:
    strings = flatten(json.loads((widget / "i18n" / "ru.json").read_text(encoding="utf-8")))
    used = used_keys(widget, manifest)
    return sorted(key for key in strings if key not in used and key != "lang.code")


def check_images(widget: Path) -> list[str]:
    problems = []
    for name, size in SIZES.items():
        path = widget / "images" / name
        if not path.exists():
            problems.append(f"images/{name} is missing")
            continue
        data = path.read_bytes()
        try:
            actual = png_size(data)
        except ValueError:
            problems.append(f"images/{name} is not a PNG")
            continue
        if actual != size:
            problems.append(f"images/{name} is {actual[0]}x{actual[1]}, amoCRM wants {size[0]}x{size[1]}")
        if len(data) > MAX_IMAGE_BYTES:
            problems.append(f"images/{name} is larger than 300 KB")
    return problems


def check_templates(widget: Path) -> list[str]:
    problems = []
    for module in sorted((widget / "src").glob("*.js")):
        for group in TEMPLATE_LIST.findall(module.read_text(encoding="utf-8")):
            problems += [
                f"templates/{name}.twig is missing (listed in src/{module.name})"
                for name in re.findall(r"'([a-z_]+)'", group)
                if not (widget / "templates" / f"{name}.twig").exists()
            ]
    return problems


def check_script(widget: Path, script: str) -> list[str]:
    """Every module and the bundle must parse; node is on the developers' machines and CI (skipped if absent)."""
    node = shutil.which("node")
    if not node:
        return []
    modules = [path.relative_to(widget).as_posix() for path in sorted((widget / "src").glob("*.js"))]
    answer = subprocess.run(  # noqa: S603
        [node, "-e", NODE_PARSE, *modules], cwd=widget, input=script, capture_output=True, text=True, check=False
    )
    if answer.returncode != 0:
        return [f"script.js: node could not check it: {answer.stderr.strip()}"]
    return [f"does not parse: {line}" for line in answer.stdout.splitlines() if line.strip()]


def package_files(widget: Path) -> list[Path]:
    """The archive's files in their order, but script.js: that is the bundle (package_entries)."""
    files = [widget / "manifest.json", widget / "style.css"]
    files += [widget / "i18n" / f"{lang}.json" for lang in LANGUAGES]
    files += [widget / "images" / name for name in SIZES]
    files += sorted((widget / "templates").glob("*.twig"))
    return files


def with_backend(name: str, data: bytes, backend_url: str | None) -> bytes:
    if not backend_url:
        return data
    base = backend_url.rstrip("/")
    if name == "manifest.json":
        manifest = json.loads(data)
        manifest["dp"]["webhook_url"] = f"{base}/dp/hook"
        return (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    if name == "script.js":
        return data.replace(f"'{PLACEHOLDER_URL}'".encode(), f"'{base}'".encode())
    return data


def package_entries(widget: Path, script: str) -> list[tuple[str, bytes]]:
    """(name in the archive, bytes): the files at the root, script.js right after manifest.json."""
    entries = [(path.relative_to(widget).as_posix(), path.read_bytes()) for path in package_files(widget)]
    entries.insert(1, ("script.js", script.encode("utf-8")))
    return entries


def write_zip(widget: Path, out: Path, backend_url: str | None, script: str) -> list[str]:
    out.parent.mkdir(parents=True, exist_ok=True)
    names = []
    tmp = out.with_suffix(".zip.tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in package_entries(widget, script):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, with_backend(name, data, backend_url))
            names.append(name)
    tmp.replace(out)
    return names


def check_zip(out: Path) -> list[str]:
    """The archive as amoCRM reads it: manifest.json at the root, every referenced file present."""
    problems = []
    with zipfile.ZipFile(out) as archive:
        names = set(archive.namelist())
        if "manifest.json" not in names:
            return [f"{out}: manifest.json is not at the archive root"]
        if any("/" in n and n.split("/")[0] not in ("i18n", "images", "templates") for n in names):
            problems.append(f"{out}: unexpected folder at the root")
        manifest = json.loads(archive.read("manifest.json"))
        problems += [f"{out}: {p}" for p in check_manifest(manifest)]
        for required in ["script.js", "style.css", *(f"i18n/{lang}.json" for lang in LANGUAGES)]:
            if required not in names:
                problems.append(f"{out}: {required} is missing")
        for name, size in SIZES.items():
            if f"images/{name}" not in names:
                problems.append(f"{out}: images/{name} is missing")
            elif png_size(archive.read(f"images/{name}")) != size:
                problems.append(f"{out}: images/{name} has the wrong size")
    return problems


def build(widget: Path, out: Path, backend_url: str | None = None) -> list[str]:
    write_all(widget / "images")
    manifest = json.loads((widget / "manifest.json").read_text(encoding="utf-8"))
    problems = check_manifest(manifest) + check_i18n(widget, manifest) + check_images(widget)
    try:
        script = bundle(widget)
    except BundleError as err:
        return problems + [f"src: {problem}" for problem in err.problems]
    problems += check_templates(widget) + check_script(widget, script)
    if backend_url and urlsplit(backend_url).scheme != "https":
        problems.append("--backend-url must be an https:// address (amoCRM pages are https)")
    if problems:
        return problems
    write_zip(widget, out, backend_url, script)
    return check_zip(out)


HEALTH = {"service": "amo-dealcopy", "status": "ok"}


def check_backend(url: str, timeout: float = 10.0) -> list[str]:
    """Problems with the deployed API's address: not https, or no answer from our health route."""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.netloc:
        return [f"--backend-url {url!r} must be an https:// address (amoCRM pages are https)"]
    health = f"{url.rstrip('/')}/health"
    try:
        with urllib.request.urlopen(health, timeout=timeout, context=ssl.create_default_context()) as answer:  # noqa: S310 - https only
            body = json.loads(answer.read(4096) or b"null")
    except (urllib.error.URLError, OSError, ValueError) as err:
        reason = getattr(err, "reason", err)
        return [f"{health} does not answer ({reason}): is --backend-url the stack's ApiUrl output?"]
    if not isinstance(body, dict) or {k: body.get(k) for k in HEALTH} != HEALTH:
        return [f"{health} answered, but not as amo-dealcopy's API: is --backend-url the stack's ApiUrl output?"]
    return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend-url", default="", help="the deployed API (https://...), put into the archive")
    parser.add_argument("--out", default=str(ROOT / "dist" / "widget.zip"))
    args = parser.parse_args(argv)
    out = Path(args.out)
    problems = check_backend(args.backend_url) if args.backend_url else []
    problems = problems or build(WIDGET, out, args.backend_url or None)
    if problems:
        for problem in problems:
            print(f"widget: {problem}", file=sys.stderr)
        return 1
    manifest = json.loads((WIDGET / "manifest.json").read_text(encoding="utf-8"))
    for key in unused_keys(WIDGET, manifest):
        print(f"widget: note: i18n key {key} is not used", file=sys.stderr)
    with zipfile.ZipFile(out) as archive:
        count = len(archive.namelist())
        webhook = json.loads(archive.read("manifest.json"))["dp"]["webhook_url"]
    print(f"widget: {out} ({count} files) checked: manifest, i18n ru/en, images, templates")
    if PLACEHOLDER_URL in webhook:
        print(
            f"widget: note: the archive still points at {PLACEHOLDER_URL}; "
            "build with `make widget BACKEND_URL=https://<your api>` before uploading it to amoCRM"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
