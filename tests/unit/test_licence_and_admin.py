"""Licence arithmetic and the operator command `python -m tools.admin` (against moto)."""

import json
import time

import pytest

from dealcopy.amo.oauth import TokenPair
from dealcopy.config import settings
from dealcopy.licence import DAY, licence_of
from dealcopy.storage.accounts import AccountRepository
from tools.admin import cli as admin

NOW = 1_800_000_000


@pytest.fixture
def repo(aws, monkeypatch):
    monkeypatch.setenv("ACCOUNTS_TABLE", aws.provisioned.physical["AccountsTable"])
    settings.cache_clear()
    from dealcopy import wiring

    wiring.accounts.cache_clear()
    wiring.dynamodb.cache_clear()
    yield AccountRepository(aws.table("AccountsTable"))
    settings.cache_clear()
    wiring.accounts.cache_clear()
    wiring.dynamodb.cache_clear()


def _install(repo, now=NOW):
    pair = TokenPair(access_token="a", refresh_token="r", expires_at=now + DAY)
    return repo.record_install(
        account_id=30000001, subdomain="demo", domain="demo.amocrm.ru", tokens=pair, trial_days=14, now=now
    )


def test_trial_counts_started_days_and_expires(repo):
    licence = licence_of(_install(repo))
    assert licence.kind == "trial"
    assert licence.days_left(NOW) == 14
    assert licence.days_left(NOW + 13 * DAY + 1) == 1
    assert licence.days_left(NOW + 14 * DAY) == 0 and not licence.active(NOW + 14 * DAY)


def test_extend_adds_days_after_the_trial_and_the_cli_reports_it(repo, capsys):
    _install(repo, now=int(time.time()))
    assert admin.main(["accounts", "extend", "30000001", "--days", "30"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["licence"] == "paid" and shown["days_left"] == 14 + 30
    assert admin.main(["accounts", "list"]) == 0
    assert [row["account_id"] for row in json.loads(capsys.readouterr().out)] == [30000001]
    assert admin.main(["accounts", "show", "404"]) == 1
