"""Ties a `sam build` output to the processor its compiled wheels are for, so a deploy cannot mismatch them.

    python -m tools.build_arch .aws-sam/build --architecture arm64

Reads the wheel tags of every package sam build installed (`*.dist-info/WHEEL`): compiled ones
(pydantic-core) name their processor. Fails if they are for another processor than
`--architecture`, or for several. Otherwise writes a `Rules` section into the built template
(`<build dir>/template.yaml`, what `sam deploy` deploys) asserting that the stack's `Architecture`
parameter equals the built one: CloudFormation refuses a deploy with another value before it
changes anything, whatever `--parameter-overrides` or `samconfig.toml` say. `make build` and
`make build-local` run it after `sam build`.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

PROCESSORS = {"aarch64": "arm64", "arm64": "arm64", "x86_64": "x86_64", "amd64": "x86_64"}
BEGIN, END = "# build_arch:begin (tools/build_arch.py)", "# build_arch:end"
RULE = """{begin}
Rules:
  BuiltForArchitecture:
    Assertions:
      - Assert: {{"Fn::Equals": [{{"Ref": "Architecture"}}, "{arch}"]}}
        AssertDescription: >-
          This build holds {arch} wheels: deploy with Architecture={arch}, or rebuild first
          (make build ARCH=<arm64|x86_64>).
{end}
"""


def wheel_processors(build_dir: Path) -> dict[str, set[str]]:
    """Processor -> the distributions built for it (pure-Python wheels name none)."""
    found: dict[str, set[str]] = {}
    for wheel in sorted(build_dir.rglob("*.dist-info/WHEEL")):
        name = wheel.parent.name.split("-")[0]
        for tag in re.findall(r"^Tag:\s*(\S+)", wheel.read_text(encoding="utf-8", errors="replace"), re.M):
            platform = tag.rsplit("-", 1)[-1]
            for marker, processor in PROCESSORS.items():
                if platform.endswith(marker):
                    found.setdefault(processor, set()).add(name)
    return found


def stamp(build_dir: Path, architecture: str) -> list[str]:
    """Problems; none: the built template now refuses any other Architecture."""
    template = build_dir / "template.yaml"
    if not template.is_file():
        return [f"{template} is missing: run sam build first"]
    found = wheel_processors(build_dir)
    if len(found) > 1:
        listed = "; ".join(f"{arch}: {', '.join(sorted(names))}" for arch, names in sorted(found.items()))
        return [f"{build_dir} mixes wheels of several processors ({listed}): rebuild from a clean build dir"]
    if found and architecture not in found:
        ((built, names),) = found.items()
        return [
            f"{build_dir} holds {built} wheels ({', '.join(sorted(names))}), not {architecture}: "
            f"rebuild with `make build ARCH={architecture}`"
        ]
    text = re.sub(
        rf"\n?{re.escape(BEGIN)}.*?{re.escape(END)}\n", "\n", template.read_text(encoding="utf-8"), flags=re.S
    )
    if re.search(r"^Rules:", text, re.M):
        return [f"{template} already has a Rules section: merge the architecture rule by hand"]
    template.write_text(text.rstrip("\n") + "\n" + RULE.format(begin=BEGIN, end=END, arch=architecture), "utf-8")
    return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("build_dir", type=Path)
    parser.add_argument("--architecture", required=True, choices=sorted(set(PROCESSORS.values())))
    args = parser.parse_args(argv)
    problems = stamp(args.build_dir, args.architecture)
    for problem in problems:
        print(f"build_arch: {problem}", file=sys.stderr)
    if not problems:
        print(f"build_arch: {args.build_dir}/template.yaml deploys only with Architecture={args.architecture}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
