"""Every custom field type amoCRM documents has a deliberate writer (facts file: "Custom fields").

The emulator's FIELD_TYPES is the list of the facts file; the layer keeps none of its own,
so this test is where the two meet.
"""

from typing import Any

from amo_emulator.custom_fields import FIELD_TYPES
from dealcopy.copying import classify
from dealcopy.copying.fields import FIELD_TYPES as HANDLING
from dealcopy.copying.fields import WRITERS, sensitivity, write_values
from dealcopy.copying.metadata import FieldInfo
from dealcopy.messages import CATALOG

from .conftest import Account


def test_one_writer_for_each_documented_field_type():
    assert set(WRITERS) == set(FIELD_TYPES) == set(HANDLING)


def test_what_an_anonymised_copy_does_with_each_type_is_declared_with_it():
    """A type the widget marks sensitive is always dropped by an anonymised copy, with a worded reason."""
    for name, handling in HANDLING.items():
        if handling.sensitivity is not None:
            assert name in classify.BY_TYPE, name
    assert set(classify.BY_TYPE) <= set(HANDLING)
    assert all(reason in CATALOG for reason in classify.BY_TYPE.values())
    assert sensitivity(_info("legal_entity")) == "personal" and sensitivity(_info("items")) == "financial"
    assert sensitivity(FieldInfo(id=1, name="f", type="text", code="PHONE")) == "personal"
    assert sensitivity(_info("text")) is None and sensitivity(_info("file")) is None
    assert classify.classify_field(_info("file")) == "anonymised-file"


def _info(field_type: str) -> FieldInfo:
    return FieldInfo(id=1, name="f", type=field_type)


def test_dates_are_written_in_the_form_the_source_had():
    for field_type in ("date", "date_time", "birthday"):
        assert write_values(_info(field_type), [{"value": 1714510800}]) == [{"value": 1714510800}]
        rfc = [{"value": "2024-05-01T00:00:00+03:00"}]
        assert write_values(_info(field_type), rfc) == rfc


def test_tracking_data_is_written_like_text():
    assert write_values(_info("tracking_data"), [{"value": "google"}]) == [{"value": "google"}]


# --- every type on the entity amoCRM has it on ------------------------------------------------

SECTIONS = ("leads", "contacts", "companies", "catalog_elements")


def _holders(state: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any], dict[str, Any]]]:
    """field type -> (seed section, entity, its value of a field of that type), from the demo account."""
    found: dict[str, tuple[str, dict[str, Any], dict[str, Any]]] = {}
    for section in SECTIONS:
        for entity in state[section]:
            for value in entity.get("custom_fields_values") or []:
                found.setdefault(value["field_type"], (section, entity, value))
    return found


def test_each_writer_turns_real_values_into_a_write_amocrm_accepts(account: Account) -> None:
    """Each type's writer, fed the demo's stored values from the entity amoCRM keeps that type on
    (multitext on contacts, payer/supplier/items on the invoices catalog, price/category/linked_entity
    on products, org_legal_name on a company), writes something the emulator accepts there and that
    reads back as the source had it: the engine handles every type, even those no lead carries."""
    holders = _holders(account.ctl.state(account.id))
    assert set(holders) == set(FIELD_TYPES)
    for field_type, (section, entity, value) in sorted(holders.items()):
        info = FieldInfo(id=value["field_id"], name=value["field_name"], type=field_type, code=value["field_code"])
        written = write_values(info, value["values"])
        assert written, field_type
        item = {"name": f"Запись {field_type}", "custom_fields_values": [{"field_id": info.id, "values": written}]}
        if section == "catalog_elements":
            item["catalog_id"] = entity["catalog_id"]
        (new_id,) = account.ctl.seed(account.id, {section: [item]})[section]
        new = next(e for e in account.ctl.state(account.id)[section] if e["id"] == new_id)
        assert new["custom_fields_values"][0]["values"] == value["values"], field_type
