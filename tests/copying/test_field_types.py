"""Every custom field type amoCRM documents has a deliberate writer (facts file: "Custom fields").

The emulator's FIELD_TYPES is the list of the facts file; the layer keeps none of its own,
so this test is where the two meet.
"""

from amo_emulator.custom_fields import FIELD_TYPES
from dealcopy.copying.fields import WRITERS, write_values
from dealcopy.copying.metadata import FieldInfo


def test_one_writer_for_each_documented_field_type():
    assert set(WRITERS) == set(FIELD_TYPES)


def _info(field_type: str) -> FieldInfo:
    return FieldInfo(id=1, name="f", type=field_type)


def test_dates_are_written_in_the_form_the_source_had():
    for field_type in ("date", "date_time", "birthday"):
        assert write_values(_info(field_type), [{"value": 1714510800}]) == [{"value": 1714510800}]
        rfc = [{"value": "2024-05-01T00:00:00+03:00"}]
        assert write_values(_info(field_type), rfc) == rfc


def test_tracking_data_is_written_like_text():
    assert write_values(_info("tracking_data"), [{"value": "google"}]) == [{"value": "google"}]
