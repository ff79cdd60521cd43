"""The one fingerprint helper: every id and idempotency mark it makes is the value stored before it existed.

The expected values were computed by the hand-rolled hashes this helper replaced (job ids,
batch ids, repeat and pending ids, queue de-duplication ids, rule hashes, request marks): a
change here would rename stored jobs and refuse honest replays.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dealcopy.copying.digest import rule_hash
from dealcopy.fingerprints import body_fingerprint, digest
from dealcopy.jobs.bulk import batch_id_of
from dealcopy.records.job_message import JobMessage, JobRef, dp_job_id
from dealcopy.records.schedule_ids import pending_id, repeat_id
from dealcopy.usecases.requests import CopyRequest

BULK_BODY = {"lead_ids": [1, 2], "rule": {"name_template": "Копия {n}", "b": 1}}


def test_ids_are_the_ones_stored_before():
    assert batch_id_of(7, "bulk-key-1") == "58c1fbd92e07b019aa5e8f0d581456ae"
    assert dp_job_id(7, 101, 1, 2, 1700000000, "abcd") == "dp-a10b61827172a0e5d148cf709ee08ba58849b25e"
    jobs = [JobRef(job_id="a", lead_id=1), JobRef(job_id="b", lead_id=2)]
    message = JobMessage(account_id=7, trigger="bulk", rule="{}", rule_hash="h", jobs=jobs)
    assert message.dedup_id() == "bulk-0eab8a0a3380abf4c7d1fb0b43b66aafbb64a4b9"
    assert (repeat_id(7, "renewal-101"), pending_id(7, "dp-1")) == (
        "rf77de64d6708cdaa3ed910bf",
        "dcf208b80903da2b7b1905894",
    )
    assert rule_hash('{"a":1}') == "015abd7f5cc57a2d"


def test_a_request_body_fingerprint_is_the_one_stored_before():
    assert body_fingerprint(BULK_BODY) == "27b8be0362b5f770b76a24ae284dd67107479501130a297fccbb5b3330f48264"
    manual = CopyRequest(lead_id=5, rule={"pipeline_id": 1}, idempotency_key="manual-key-1")
    assert body_fingerprint(manual.model_dump(mode="json")) == (
        "b00b92d7e5d0893c848bb32fcba35b676f0070d5651f11b654e154e985551304"
    )


def test_key_order_never_matters_values_do():
    reordered = {"rule": {"b": 1, "name_template": "Копия {n}"}, "lead_ids": [1, 2]}
    assert body_fingerprint(reordered) == body_fingerprint(BULK_BODY)
    assert body_fingerprint({**BULK_BODY, "lead_ids": [2, 1]}) != body_fingerprint(BULK_BODY)


@pytest.mark.parametrize("length", [16, 24, 32, 40, 64])
def test_a_digest_is_hex_of_the_asked_length(length):
    value = digest(7, "key", length=length)
    assert len(value) == length and int(value, 16) >= 0
    assert digest(7, "key").startswith(value)


@settings(max_examples=200)
@given(st.lists(st.text(alphabet=st.characters(blacklist_characters="|"), max_size=8), min_size=1, max_size=4))
def test_digests_of_different_parts_differ_and_the_same_parts_agree(parts):
    assert digest(*parts) == digest(*parts)
    assert digest(*parts) != digest(*parts, "x")
