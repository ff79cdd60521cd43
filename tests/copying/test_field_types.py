"""Every custom field type amoCRM documents has a deliberate writer (facts file: "Custom fields").

The emulator's FIELD_TYPES is the list of the facts file; the layer keeps none of its own,
so this test is where the two meet.
"""

from amo_emulator.custom_fields import FIELD_TYPES
from dealcopy.copying.fields import WRITERS


def test_one_writer_for_each_documented_field_type():
    assert set(WRITERS) == set(FIELD_TYPES)
