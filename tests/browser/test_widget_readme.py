"""widget/README.md stands on its own: every link and image it names is a file of this repository."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "widget" / "README.md"
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def test_every_link_of_the_widget_readme_is_a_file_of_the_repository():
    text = README.read_text(encoding="utf-8")
    links = [target for target in LINK.findall(text) if not target.startswith(("http://", "https://"))]
    assert links, "the README links its screenshots"
    for target in links:
        path = (README.parent / target).resolve()
        assert path.is_relative_to(ROOT), f"{target} points outside the repository"
        assert path.is_file(), f"{target} does not exist"
    assert "shared/" not in text and "/work/" not in text


def test_the_screenshots_are_small_pngs():
    shots = sorted((ROOT / "docs" / "screenshots").glob("*.png"))
    assert shots
    for shot in shots:
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", shot.name
        assert shot.stat().st_size < 150_000, f"{shot.name} is {shot.stat().st_size} bytes"
