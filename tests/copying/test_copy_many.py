"""Batches: 20 copies in 4 requests, one bad copy never sinks the others, plans survive a checkpoint.

Whole batches run as the worker runs them (`Account.run_jobs`: one job run of bulk jobs).
"""

from __future__ import annotations

from typing import Any

from amo_emulator.seed_demo import CATALOGS, COMPANIES, CONTACTS, FIELD, PRICE_FIELD, USERS, pipeline_id, status_id
from dealcopy.amo.errors import AmoValidationError, ValidationIssue
from dealcopy.copying import CopyEngine, CopyPlan, CopyRejected, CopyResult
from dealcopy.records.job import JobError

from .conftest import ADMIN, Account, field_values, links_of, rule

SPEC = FIELD["Спецификация"]
CITY = FIELD["Город"]


def seed_leads(account: Account, count: int, extra_fields: list[dict[str, Any]] = ()) -> list[int]:
    """`count` leads with products, two contacts, a company, tags and fields."""
    leads = [
        {
            "name": f"Заявка {n}",
            "price": 1000 * n,
            "pipeline_id": pipeline_id("Воронка"),
            "status_id": status_id("Воронка", "Переговоры"),
            "responsible_user_id": USERS["Дмитрий Артемьевич"],
            "tags": ["опт"],
            "custom_fields_values": [
                {"field_id": SPEC, "values": [{"value": f"Спецификация {n}"}]},
                {"field_id": CITY, "values": [{"value": "Пермь"}]},
                *extra_fields,
            ],
            "_embedded": {
                "contacts": [
                    {"id": CONTACTS["Павел Морозов"], "is_main": False},
                    {"id": CONTACTS["Ольга Лебедева"], "is_main": True},
                ],
                "companies": [{"id": COMPANIES["ООО «Ромашка»"]}],
                "catalog_elements": [
                    {
                        "id": 1_300_003,
                        "metadata": {"quantity": n, "catalog_id": CATALOGS["Товары"], "price_id": PRICE_FIELD},
                    }
                ],
            },
        }
        for n in range(1, count + 1)
    ]
    return account.ctl.seed(account.id, {"leads": leads})["leads"]


def test_a_run_of_twenty_copies_costs_four_requests(account: Account) -> None:
    sources = seed_leads(account, 20)
    engine = account.engine()
    engine.metadata()
    mark = account.mark()
    copy_rule = rule("Выполнение", "В работе", responsible={"mode": "actor"}, add_tags=["копия"])
    results = account.run_jobs([(s, copy_rule, USERS["Иванов Иван Иванович"]) for s in sources], engine=engine)
    assert account.calls(mark) == [
        "GET /api/v4/leads",
        "POST /api/v4/leads",
        "POST /api/v4/leads/link",
        "POST /api/v4/leads/notes",
    ]
    assert [r.source_id for r in results] == sources
    for n, (source_id, result) in enumerate(zip(sources, results, strict=True), start=1):
        assert isinstance(result, CopyResult)
        copy = account.lead(result.lead_id)
        assert copy["name"] == f"Заявка {n}" and copy["price"] == 1000 * n
        assert copy["responsible_user_id"] == USERS["Иванов Иван Иванович"]
        assert field_values(copy) == field_values(account.lead(source_id))
        (product,) = links_of(copy, "catalog_elements")
        assert product["metadata"] == {"quantity": n, "catalog_id": CATALOGS["Товары"], "price_id": PRICE_FIELD}
        assert {c["id"]: c["is_main"] for c in copy["_embedded"]["contacts"]} == {
            CONTACTS["Ольга Лебедева"]: True,
            CONTACTS["Павел Морозов"]: False,
        }
        assert [c["id"] for c in copy["_embedded"]["companies"]] == [COMPANIES["ООО «Ромашка»"]]
        assert [t["name"] for t in copy["_embedded"]["tags"]] == ["опт", "копия"]
        named = f"Создана из сделки «{account.lead(source_id)['name']}» (#{source_id})"
        assert [n["params"]["text"].split(" — ")[0] for n in copy["notes"]] == [named]


def test_a_run_reports_each_failure_in_its_slot(account: Account) -> None:
    sources = seed_leads(account, 3)
    engine = account.engine()
    engine.metadata()
    mark = account.mark()
    good = rule()
    jobs = [
        (sources[0], good, ADMIN),
        (99_999_999, good, ADMIN),
        (sources[1], rule("Логистика", "Отгружено"), USERS["Виктор"]),
        (sources[2], rule(fields=[SPEC], responsible={"mode": "fixed", "user_id": 7}), ADMIN),
        (sources[2], good, ADMIN),
    ]
    results = account.run_jobs(jobs, engine=engine)
    assert isinstance(results[0], CopyResult) and isinstance(results[4], CopyResult)
    assert [r.code for r in results[1:4] if isinstance(r, JobError)] == [
        "source_not_found",
        "forbidden",
        "rule_invalid",
    ]
    # The four requests of the copies, and one with the failure notes on the sources that exist.
    assert account.calls(mark) == [
        "GET /api/v4/leads",
        "POST /api/v4/leads",
        "POST /api/v4/leads/link",
        "POST /api/v4/leads/notes",
        "POST /api/v4/leads/notes",
    ]
    assert results[0].lead_id != results[4].lead_id


def test_a_status_removed_meanwhile_fails_only_its_copy(account: Account) -> None:
    sources = seed_leads(account, 5)
    engine = account.engine()
    engine.metadata()  # warm: still knows the stage below
    doomed = status_id("Support", "Решено")
    support = account.emulated.pipelines[pipeline_id("Support")]
    with account.server.state.lock:
        support.statuses = [s for s in support.statuses if s.id != doomed]
    mark = account.mark()
    jobs = [(s, rule(), ADMIN) for s in sources]
    jobs[3] = (sources[3], rule("Support", "Решено"), ADMIN)
    results = account.run_jobs(jobs, engine=engine)
    rejected = results[3]
    assert isinstance(rejected, JobError) and rejected.code == "rejected"
    assert "status_id" in rejected.message_en and rejected.message_ru
    assert all(isinstance(r, CopyResult) for i, r in enumerate(results) if i != 3)
    assert account.calls(mark).count("POST /api/v4/leads") == 2
    assert account.cache.peek(engine.account_key) is None  # stale metadata is dropped


def test_a_field_deleted_between_plan_and_create_is_dropped_for_every_copy(account: Account) -> None:
    temp = account.ctl.seed(account.id, {"custom_fields": [{"name": "Временное", "type": "text"}]})["custom_fields"]
    temp_id = temp[0]["id"]
    sources = seed_leads(account, 4, [{"field_id": temp_id, "values": [{"value": "до удаления"}]}])
    engine = account.engine()
    found = engine.read_sources(sources)
    plans = [engine.plan(found[s], rule(), ADMIN, f"job-{s}") for s in sources]
    account.ctl.delete_field(account.id, temp_id)
    mark = account.mark()
    created = engine.create(plans)
    assert account.calls(mark) == ["POST /api/v4/leads", "POST /api/v4/leads"]
    for outcome in created:
        result = engine.result(outcome)
        (skip,) = [s for s in result.skipped if s.ref == temp_id]
        assert skip.code == "rejected_by_amocrm"
        assert temp_id not in {f.id for f in result.copied.fields}
        assert set(field_values(account.lead(outcome.lead_id))) == {SPEC, CITY}


class BlameLess:
    """The real client, except that validation errors no longer say which item failed (U: older API answers)."""

    def __init__(self, api: Any) -> None:
        self.api = api
        self.posts = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.api, name)

    def post(self, path: str, json: Any, *, idempotent: bool = False) -> Any:
        self.posts += 1
        try:
            return self.api.post(path, json, idempotent=idempotent)
        except AmoValidationError as err:
            err.issues = [ValidationIssue("?", i.path, i.code, i.detail) for i in err.issues]
            raise


def test_unattributed_errors_are_isolated_by_splitting(account: Account) -> None:
    sources = seed_leads(account, 6)
    blameless = BlameLess(account.api)
    engine = CopyEngine(blameless, account_domain=account.domain, cache=account.cache)
    engine.metadata()
    broken_contact = CONTACTS["Игорь Новиков"]
    with account.server.state.lock:
        account.emulated.contacts[broken_contact].is_deleted = True
    found = engine.read_sources(sources)
    plans = [engine.plan(found[s], rule(), ADMIN, f"job-{s}") for s in sources]
    payload = {**plans[4].payload, "_embedded": {"contacts": [{"id": broken_contact, "is_main": True}]}}
    plans[4] = plans[4].model_copy(update={"payload": payload})
    outcomes = engine.create(plans)
    assert isinstance(outcomes[4], CopyRejected)
    assert outcomes[4].issues[0].path == "_embedded.contacts.0.id"
    assert [type(o).__name__ for i, o in enumerate(outcomes) if i != 4] == ["CreatedCopy"] * 5
    # [0-5] bad -> [0-2] ok, [3-5] bad -> [3] ok, [4-5] bad -> [4] rejected, [5] ok
    assert blameless.posts == 7


def test_plans_survive_a_checkpoint(account: Account) -> None:
    """A job runner may store plans and created copies as JSON and resume in another process."""
    (source_id,) = seed_leads(account, 1)
    first = account.engine()
    plan = first.plan(first.read_source(source_id), rule(add_tags=["копия"]), ADMIN)
    stored = plan.model_dump_json()
    second = account.engine()
    (created,) = second.create([CopyPlan.model_validate_json(stored)])
    restored = type(created).model_validate_json(created.model_dump_json())
    linked = second.link([restored])
    assert second.link(linked) == linked  # already linked: no second link request
    done = second.write_notes(linked)
    result = second.result(done[0])
    assert result.links_written and result.notes_written
    copy = account.lead(result.lead_id)
    assert len(links_of(copy, "catalog_elements")) == 1 and len(copy["notes"]) == 1
    assert account.calls().count("POST /api/v4/leads/link") == 1


def test_a_refused_link_fails_only_its_copy_and_is_reported(account: Account) -> None:
    sources = seed_leads(account, 3)
    engine = account.engine()
    found = engine.read_sources(sources)
    plans = [engine.plan(found[s], rule(), ADMIN, f"job-{s}") for s in sources]
    other = 1_300_004
    plans[1] = plans[1].model_copy(
        update={"catalog_links": [plans[1].catalog_links[0].model_copy(update={"element_id": other})]}
    )
    with account.server.state.lock:
        account.emulated.elements[1_300_003].is_deleted = True  # the product of copies 0 and 2
    mark = account.mark()
    created = engine.write_notes(engine.link(engine.create(plans)))
    assert account.calls(mark).count("POST /api/v4/leads/link") == 2  # the refused ones are blamed by index
    results = [engine.result(c) for c in created]
    assert [r.links_written for r in results] == [False, True, False]
    assert [r.copied.catalog_elements for r in results] == [0, 1, 0]
    (refused,) = [s for s in results[0].skipped if s.what == "links"]
    assert (
        refused.code == "links_failed" and "to_entity_id" in refused.reason_en and "to_entity_id" in refused.reason_ru
    )
    assert all(r.notes_written for r in results)
    assert [ln["to_entity_id"] for ln in links_of(account.lead(results[1].lead_id), "catalog_elements")] == [other]
