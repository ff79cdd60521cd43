"""The pieces of unattended operation that need no server: the zone parser, who the keep-alive takes,
the metadata cache's reload on an unknown field, and the local clock's periodic runs."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from dealcopy.accounts import Account, AccountStatus, Secret, StoredTokens
from dealcopy.amo.account import account_timezone
from dealcopy.copying.metadata import AccountMetadata, FieldInfo, MetadataCache
from dealcopy.usecases.keepalive import DAY, THRESHOLD, due, scheduled_time, spread
from devstack.scheduler import Scheduler
from devstack.template import Template

# --- the account's zone from GET /api/v4/account?with=datetime_settings ------------------------------------


def test_the_zone_is_read_where_amocrm_documents_it_and_where_older_answers_had_it():
    documented = {"id": 1, "_embedded": {"datetime_settings": {"timezone": "Asia/Yekaterinburg"}}}
    assert account_timezone(documented) == "Asia/Yekaterinburg"
    assert account_timezone({"datetime_settings": {"timezone": "America/New_York"}}) == "America/New_York"
    assert account_timezone({"timezone": "Europe/Moscow"}) == "Europe/Moscow"  # API v2's top-level field
    assert account_timezone({"_embedded": {"datetime_settings": {"timezone": "Mars/Olympus"}}}) is None
    assert account_timezone({"_embedded": {"datetime_settings": {"timezone": 3}}}) is None
    assert account_timezone(None) is None and account_timezone([]) is None


@settings(max_examples=200)
@given(
    st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=40)),
        lambda inner: st.one_of(
            st.lists(inner, max_size=3),
            st.dictionaries(st.sampled_from(["_embedded", "datetime_settings", "timezone", "id"]), inner, max_size=4),
        ),
        max_leaves=12,
    )
)
def test_any_answer_gives_a_known_zone_or_none_and_never_raises(answer):
    from zoneinfo import ZoneInfo

    zone = account_timezone(answer)
    assert zone is None or ZoneInfo(zone) is not None


# --- who the keep-alive takes ---------------------------------------------------------------------------------


def account(account_id: int, issued: int) -> Account:
    tokens = StoredTokens(Secret("a"), Secret("r"), expires_at=issued + DAY)
    return Account(
        account_id, "s", "s.amocrm.ru", AccountStatus.ACTIVE, issued, issued, tokens=tokens, tokens_at=issued
    )


def test_a_pair_is_due_once_30_days_and_its_spread_old_and_the_spread_is_stable_and_under_a_day():
    spreads = {spread(n) for n in range(1, 2000)}
    assert all(0 <= s < DAY for s in spreads) and len(spreads) > 1900  # accounts installed together spread out
    assert spread(31) == spread(31)
    issued = 1_800_000_000
    edge = issued + THRESHOLD + spread(31)
    assert not due(account(31, issued), edge - 1) and due(account(31, issued), edge)
    assert not due(Account(31, "s", "s.amocrm.ru", AccountStatus.ACTIVE, issued, issued), edge + DAY)  # no tokens


def test_the_scheduled_time_is_the_events_time_or_now():
    assert scheduled_time({"time": "2027-12-06T10:00:00Z"}) == datetime(2027, 12, 6, 10, tzinfo=UTC).timestamp()
    assert abs(scheduled_time({"time": "garbage"}) - time.time()) < 5
    assert abs(scheduled_time(None) - time.time()) < 5


# --- the metadata cache and a field it does not know ------------------------------------------------------------


def test_an_unknown_field_on_a_source_reloads_once_and_a_field_gone_for_good_costs_no_more_loads():
    loads: list[int] = []
    known = {1: FieldInfo(1, "old", "text")}

    def load() -> AccountMetadata:
        loads.append(1)
        return AccountMetadata(pipelines={}, users={}, fields=dict(known), catalogs={})

    cache = MetadataCache(ttl=300)
    assert set(cache.covering("a", load, [1]).fields) == {1} and len(loads) == 1
    known[2] = FieldInfo(2, "new", "text")  # added in amoCRM after the load
    assert set(cache.covering("a", load, [1, 2]).fields) == {1, 2} and len(loads) == 2
    assert set(cache.covering("a", load, [1, 2, 9]).fields) == {1, 2} and len(loads) == 3  # 9: no such field
    cache.covering("a", load, [9])
    cache.covering("a", load, [1, 9])
    assert len(loads) == 3  # what a reload did not learn either is not asked for again
    cache.get("a", load, max_age=0)
    assert len(loads) == 4  # a settings open wants it fresh


# --- the local clock runs every periodic function of the template --------------------------------------------------


def test_run_due_runs_each_scheduled_function_once_per_call_at_its_latest_due_occurrence():
    template = Template()
    invoked: list[tuple[str, dict]] = []
    scheduler = Scheduler(template, lambda name, event: invoked.append((name, event)) or {"ok": name}, interval=0)
    assert {"KeepAliveFunction", "CatchUpFunction"} <= set(scheduler.functions)
    start = datetime.now(UTC)
    assert scheduler.run_due(start + timedelta(seconds=30)) == []
    ran = scheduler.run_due(start + timedelta(days=15, seconds=30))
    by_name = {r["function"]: r for r in ran}
    assert by_name["KeepAliveFunction"]["occurrences"] == 15 * 24
    assert by_name["CatchUpFunction"]["occurrences"] == 15 * 24 * 12
    keep_alive = [event for name, event in invoked if name == "KeepAliveFunction"]
    assert len(keep_alive) == 1
    moment = datetime.fromisoformat(keep_alive[0]["time"].replace("Z", "+00:00"))
    assert start + timedelta(days=15) - timedelta(hours=1) < moment <= start + timedelta(days=15, seconds=30)
    assert json.dumps(ran)  # what the gateway answers
    assert scheduler.run_due(start + timedelta(days=15, minutes=2)) == []  # nothing new is due yet
