"""The runbook in docs/operations.md has a row for every alarm of template.yaml: what it means, what to do."""

from __future__ import annotations

import re

from devstack.template import Template
from tests.unit.test_docs import DOCS, _between, _read, _rows

ALARMS = set(Template().of_type("AWS::CloudWatch::Alarm"))


def _runbook() -> dict[str, tuple[str, str]]:
    rows = {}
    for row in _rows(_between(_read(DOCS / "operations.md"), "runbook")):
        for name in re.findall(r"`([A-Za-z]+Alarm)`", row[0]):
            assert name not in rows, f"{name} has two runbook rows"
            rows[name] = (row[1], row[2])
    return rows


def test_every_alarm_has_a_runbook_row_saying_what_it_means_and_what_to_do():
    runbook = _runbook()
    missing = sorted(ALARMS - set(runbook))
    assert not missing, f"docs/operations.md runbook has no row for {missing}"
    for name in ALARMS:
        means, action = runbook[name]
        assert len(means) > 30 and len(action) > 30, f"{name}: say what it means and what to do"


def test_the_runbook_names_no_alarm_the_template_does_not_have():
    assert sorted(set(_runbook()) - ALARMS) == []


def test_the_post_deploy_check_sets_an_alarm_of_the_template_to_alarm():
    text = _read(DOCS / "operations.md")
    check = re.search(r"### Post-deploy check\n(.*?)\n## ", text, re.S).group(1)
    assert "aws cloudwatch set-alarm-state" in check and "--state-value ALARM" in check
    (named,) = set(re.findall(r"--alarm-name-prefix \"\$STACK-([A-Za-z]+)\"", check))
    assert named in ALARMS
