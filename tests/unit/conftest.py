"""Unit fixtures: in-process moto with the tables and queues of template.yaml."""

import pytest

from tests.support.aws import mocked_aws


@pytest.fixture
def aws():
    with mocked_aws("unit") as aws:
        yield aws
