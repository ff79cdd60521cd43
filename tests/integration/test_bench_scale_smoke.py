"""`make bench`'s scale runs at toy sizes, so the harness cannot rot between benchmark runs.

Real processes as in the benchmark (emulator, moto, stack instances over loopback); only the
sizes are small. The limits themselves (≤ 7 per window, no 429) hold at any size and are asserted;
drain ratios are not, since a toy burst is dominated by start-up latency.
"""

from __future__ import annotations

import pytest

from tools.bench_scale import many_accounts, one_account, report


@pytest.mark.slow  # four stack processes and a warm-up: about a minute
def test_four_instances_on_one_account_keep_the_budget():
    figures = one_account.run(hooks=10)

    assert figures["job_states"] == {"done": 10}
    assert figures["peak_per_second"] <= 7
    assert figures["lifetime_peak_per_second"] <= 7
    assert figures["status_429"] == 0
    assert figures["requests_in_drain"] > 0
    assert set(figures["roles"]) == {"copies", "settings", "catchup"}
    assert "### Four Lambda instances, one account" in report.section(figures, None)


@pytest.mark.slow  # two stack processes and a warm-up: about a minute
def test_many_accounts_each_drain_and_are_reported():
    figures = many_accounts.run(accounts=2, per_account=5, workers=1)

    assert [row["done"] for row in figures["rows"]] == [5, 5]
    assert figures["peak_per_second"] <= 7
    assert figures["status_429"] == 0
    assert figures["slowest_to_median"] >= 1.0
    assert "2 accounts × 5 hooks at once" in report.section(None, figures)


def test_the_section_replaces_its_last_version_and_keeps_the_others(tmp_path):
    path = tmp_path / "BENCHMARKS.md"
    path.write_text("# Benchmarks\n\n## Handler import\n\nrows\n", encoding="utf-8")

    report.write(path, report.HEADING + "\n\nfirst\n")
    report.write(path, report.HEADING + "\n\nsecond\n")

    text = path.read_text(encoding="utf-8")
    assert text.count(report.HEADING) == 1
    assert "## Handler import\n\nrows" in text
    assert "second" in text and "first" not in text
    assert text.endswith("second\n")
