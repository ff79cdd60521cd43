"""What a manager reads says what happened and what to do; codes and paths are for support only.

A rule error's words name the setting in plain words (never `name_template:`), a bad copy name is
explained with the placeholders that exist, and a failed job's note on the deal keeps its code on
a last, labelled line.
"""

from __future__ import annotations

import re

import pytest

from dealcopy.copying.errors import RuleInvalid, RuleProblem, listing
from dealcopy.copying.metadata import AccountMetadata, parse_pipeline
from dealcopy.copying.rules import parse_rule
from dealcopy.jobs.failures import error_of
from dealcopy.jobs.notes import job_note
from dealcopy.messages import text
from dealcopy.records.job import DpEvent, JobRecord

# a code or a rule path as the backend spells them: snake_case or kebab-case words, `x.y`, `x[0]`
TECHNICAL = re.compile(r"\b[a-z]+(?:[_-][a-z]+)+\b|\b[a-z_]+\[\d+\]|\b[a-z_]+\.[a-z_]+\b")


def refused(template: str) -> RuleInvalid:
    with pytest.raises(RuleInvalid) as caught:
        parse_rule({"pipeline_id": 1, "status_id": 2, "name_template": template})
    return caught.value


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("ru", "В названии копии есть неизвестная подстановка {xyz}. Доступны: {name}, {id}, {pipeline}, {date}, {n}."),
        ("en", "The copy's name has an unknown placeholder {xyz}. Available: {name}, {id}, {pipeline}, {date}, {n}."),
    ],
)
def test_an_unknown_placeholder_is_said_in_plain_words_with_the_ones_available(lang, words):
    error = refused("{name} {xyz}")
    (problem,) = error.problems
    assert problem.path == "name_template"  # for the form (and support), not for the words
    assert problem.message(lang).startswith(words)
    detail = error.message_en if lang == "en" else error.message_ru
    assert words in detail and "name_template" not in detail
    assert not TECHNICAL.search(detail.replace("{", " ").replace("}", " ")), detail


@pytest.mark.parametrize("template", ["{name", "{name}}", "   "])
def test_other_bad_copy_names_say_what_to_do_without_paths(template):
    error = refused(template)
    for lang, detail in (("ru", error.message_ru), ("en", error.message_en)):
        assert "name_template" not in detail and "template" not in detail.lower().replace("шаблон", ""), detail
        assert ("названи" if lang == "ru" else "name") in detail


def test_a_listing_names_each_setting_in_words_and_never_shows_a_path():
    problems = [
        RuleProblem("pipeline_id", "rule-integer-expected"),
        RuleProblem("rule.status_id", "rule-required"),
        RuleProblem("add_tags[2]", "rule-string-expected"),
        RuleProblem("some.unknown_path", "rule-unexpected-value"),
    ]
    words = listing(problems)
    assert (
        words.ru
        == "Воронка: ожидается целое число; Этап: обязательный параметр; Теги: ожидается строка; недопустимое значение"
    )
    assert words.en == "Pipeline: an integer is expected; Stage: required; Tags: a string is expected; unexpected value"
    # the paths stay in `errors[]`, which the widget folds under «подробнее»
    assert [p.as_dict()["path"] for p in problems] == [
        "pipeline_id",
        "rule.status_id",
        "add_tags[2]",
        "some.unknown_path",
    ]


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_a_failed_jobs_note_says_what_happened_and_keeps_its_code_on_a_last_labelled_line(lang):
    record = JobRecord(account_id=1, job_id="j-1", trigger="dp", lead_id=24_002_811, rule_hash="h", attempts=1)
    note = job_note(record, error_of(refused("{name} {xyz}")), lang)
    body, detail = note["params"]["text"].rsplit("\n", 1)
    assert detail == text("note-code", lang, error_code="rule_invalid")
    assert detail.startswith("Подробнее для поддержки: " if lang == "ru" else "Details for support: ")
    assert "rule_invalid" not in body and "name_template" not in body
    assert not TECHNICAL.search(body.replace("{", " ").replace("}", " ")), body
    assert ("неизвестная подстановка {xyz}" if lang == "ru" else "unknown placeholder {xyz}") in body


SALES = parse_pipeline(
    {"id": 10, "name": "Продажи", "_embedded": {"statuses": [{"id": 20, "name": "Новая заявка", "pipeline_id": 10}]}}
)
KNOWN = AccountMetadata(pipelines={SALES.id: SALES}, users={}, fields={}, catalogs={})


def _dp_record(pipeline_id: int, status_id: int) -> JobRecord:
    event = DpEvent(pipeline_id=pipeline_id, status_id=status_id, time=1_700_000_000)
    return JobRecord(account_id=1, job_id="j-2", trigger="dp", lead_id=24_002_811, rule_hash="h", event=event)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("ru", "Событие: сделка вошла в этап «Новая заявка» воронки «Продажи»."),
        ("en", "Event: the lead entered stage “Новая заявка” of pipeline “Продажи”."),
    ],
)
def test_a_failed_jobs_note_names_the_stage_and_pipeline_of_its_event(lang, words):
    note = job_note(_dp_record(10, 20), error_of(refused("{xyz}")), lang, metadata=KNOWN)
    assert words in note["params"]["text"]
    assert "#10" not in note["params"]["text"] and "#20" not in note["params"]["text"]


@pytest.mark.parametrize(
    ("metadata", "pipeline_id", "status_id"),
    [(None, 10, 20), (KNOWN, 10, 21), (KNOWN, 11, 20)],  # nothing cached; a stage or a pipeline it does not know
)
def test_a_failed_jobs_note_keeps_the_ids_only_when_the_cache_cannot_name_the_stage(metadata, pipeline_id, status_id):
    for lang, words in (("ru", "в этап #{s} воронки #{p}."), ("en", "entered stage #{s} of pipeline #{p}.")):
        note = job_note(_dp_record(pipeline_id, status_id), error_of(refused("{xyz}")), lang, metadata=metadata)
        assert words.format(s=status_id, p=pipeline_id) in note["params"]["text"]
