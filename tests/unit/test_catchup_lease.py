"""One catch-up run at a time without reserved concurrency: a lease in the jobs table (moto in-process)."""

from __future__ import annotations

import pytest

from dealcopy.dp.catchup import CatchUp
from dealcopy.jobs.queue import JobQueue
from dealcopy.storage.claims import ClaimStore
from dealcopy.storage.dp_rules import DpRuleRepository
from dealcopy.storage.dynamo import Table
from dealcopy.storage.jobs import JobRepository
from dealcopy.storage.signatures import SignatureRepository
from dealcopy.usecases.jobs import CATCH_UP_LEASE, catch_up_missed


@pytest.fixture
def parts(aws):
    jobs = Table(aws.table("JobsTable"), aws.resource)
    queue = JobQueue(
        aws.sqs, aws.provisioned.physical["CopyJobsQueue"], aws.provisioned.physical["CopyJobsDeadLetterQueue"]
    )
    rules = DpRuleRepository(jobs)
    catch_up = CatchUp(
        rules=rules,
        jobs=JobRepository(jobs),
        queue=queue,
        account_of=lambda account_id: None,  # an account that is gone: its rules are skipped
        client_for=lambda account: None,
        signatures=SignatureRepository(jobs),
    )
    rules.learn(account_id=5, pipeline_id=1, status_id=2, rule="{}", rule_hash="h", event_time=1_000)
    return catch_up, ClaimStore(aws.table("JobsTable"))


def test_a_run_takes_the_lease_and_gives_it_back(parts):
    catch_up, lease = parts
    report = catch_up_missed(catch_up=catch_up, lease=lease)
    assert report["accounts"] == 0 and report["queued"] == 0  # it ran (the rule's account is gone)
    assert lease.claim(CATCH_UP_LEASE, ttl=10)  # released: the next run may start


def test_a_second_run_while_the_first_holds_the_lease_does_nothing(parts):
    catch_up, lease = parts
    assert lease.claim(CATCH_UP_LEASE, ttl=150)  # a run in progress elsewhere
    assert catch_up_missed(catch_up=catch_up, lease=lease) == {"skipped": "another catch-up run holds the lease"}
    assert not lease.claim(CATCH_UP_LEASE, ttl=10)  # the first run's lease is untouched


def test_a_crashed_run_releases_the_lease_and_an_abandoned_one_expires(aws, parts):
    catch_up, lease = parts
    catch_up.rules = DpRuleRepository(Table(aws.resource.Table("no-such-table"), aws.resource))  # fails mid-run
    with pytest.raises(aws.dynamodb.exceptions.ResourceNotFoundException):
        catch_up_missed(catch_up=catch_up, lease=lease)
    assert lease.claim(CATCH_UP_LEASE, ttl=-1)  # released; and this claim is expired at once
    assert lease.claim(CATCH_UP_LEASE, ttl=10)  # so a process that died holding it blocks nobody for long
