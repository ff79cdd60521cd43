"""Fields amoCRM never writes for an account: refused once, remembered, never a failure again."""

from __future__ import annotations

from amo_emulator.seed_demo import FIELD
from dealcopy.copying.metadata import AccountMetadata, FieldInfo
from dealcopy.copying.refusals import MemoryRefusalStore, RefusedFields, not_writable, whole_field_indexes

from .conftest import ADMIN, Account, field_values, rule


def _lead_with_a_refused_field(account: Account) -> tuple[int, dict[int, tuple[str, str]]]:
    """No lead field type is read-only (demo realism), so the emulator is told to refuse one field."""
    spec = {"name": "Формула", "type": "numeric", "refuses_api_writes": True}
    (field,) = account.ctl.seed(account.id, {"custom_fields": [spec]})["custom_fields"]
    values = [{"field_id": field["id"], "values": [{"value": 7}]}]
    values.append({"field_id": FIELD["Спецификация"], "values": [{"value": "Монтаж"}]})
    seeded = account.ctl.seed(account.id, {"leads": [{"name": "С формулой", "custom_fields_values": values}]})
    return seeded["leads"][0], {field["id"]: ("Формула", "numeric")}


def test_a_field_amocrm_refuses_is_reported_once_then_left_out_without_a_failure(account: Account) -> None:
    source, read_only = _lead_with_a_refused_field(account)
    store = MemoryRefusalStore()
    engine = account.engine(account_key=f"acc-{account.id}", refusals=RefusedFields(store))

    mark = account.mark()
    first = account.copy(source, rule(), ADMIN, engine=engine)
    assert account.calls(mark).count("POST /api/v4/leads") == 2  # refused, then sent without the field
    refused = {s.ref: s for s in first.skipped if s.ref in read_only}
    assert set(refused) == set(read_only)
    assert all(s.code == "rejected_by_amocrm" and s.failure for s in refused.values())
    assert store.load(f"acc-{account.id}") == {fid: t for fid, (_, t) in read_only.items()}

    mark = account.mark()
    second = account.copy(source, rule(), ADMIN, engine=engine)
    assert account.calls(mark).count("POST /api/v4/leads") == 1  # not tried again
    left_out = {s.ref: s for s in second.skipped if s.ref in read_only}
    assert all(s.code == "not_writable" and not s.failure for s in left_out.values())
    assert set(left_out) == set(read_only)
    assert second.failures == []
    assert all(s.reason_ru.startswith("не копируется") for s in left_out.values())
    assert not set(field_values(account.lead(second.lead_id))) & set(read_only)

    # Another process (a fresh cache) reads the refusals from the store.
    fresh = account.engine(account_key=f"acc-{account.id}", refusals=RefusedFields(store))
    mark = account.mark()
    assert account.copy(source, rule(), ADMIN, engine=fresh).failures == []
    assert account.calls(mark).count("POST /api/v4/leads") == 1


def test_a_refused_value_is_not_remembered_as_a_refused_field() -> None:
    assert whole_field_indexes(["custom_fields_values.3.field_id", "custom_fields_values[4]", "name"]) == {3, 4}
    assert whole_field_indexes(["custom_fields_values.2.values.0.value", "custom_fields_values.5.values"]) == set()


def test_the_tree_knows_before_copying_which_fields_are_not_copyable() -> None:
    fields = {
        1: FieldInfo(1, "Связанный договор", "linked_entity"),
        2: FieldInfo(2, "Спецификация", "textarea"),
        3: FieldInfo(3, "Новый тип", "some_future_type"),
        4: FieldInfo(4, "Был текстом", "select"),
    }
    metadata = AccountMetadata({}, {}, fields, {})
    # 4 was refused while it was a text field: a new type is tried again.
    assert not_writable(metadata, {1: "linked_entity", 4: "text"}) == {1: "field-not-writable", 3: "field-not-writable"}


def test_refusals_are_written_to_the_store_only_when_new() -> None:
    writes: list[dict[int, str]] = []

    class Recording(MemoryRefusalStore):
        def add(self, account_key: str, refused: dict[int, str]) -> None:
            writes.append(dict(refused))
            super().add(account_key, refused)

    refusals = RefusedFields(Recording())
    refusals.remember("a", {1: "linked_entity"})
    refusals.remember("a", {1: "linked_entity"})
    refusals.remember("a", {})
    refusals.remember("b", {1: "linked_entity"})
    assert writes == [{1: "linked_entity"}, {1: "linked_entity"}]
    assert refusals.get("a") == {1: "linked_entity"} and refusals.get("c") == {}
