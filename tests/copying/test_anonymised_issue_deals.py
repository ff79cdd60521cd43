"""Anonymised copies of deals filled as managers fill them: the client masked or removed, the work kept.

Through the real engine against the emulator; the HTTP paths (manual, preview, DP, repeat, delayed)
run the same deals in tests/integration/test_anonymised_paths_http.py.
"""

from __future__ import annotations

from amo_emulator.seed_demo import USERS

from .conftest import ADMIN, Account, rule
from .issue_deals import LINK_LISTED, SECRETS, TEXT_LISTED, assert_partner_copy, listed, seed_deals


def test_each_deal_is_copied_without_the_client_and_with_all_the_work(account: Account) -> None:
    (text_deal, link_deal), ids = seed_deals(lambda payload: account.ctl.seed(account.id, payload))
    partner = rule("Партнёры", "Новая заявка", anonymise=True)
    engine = account.engine()
    for lead_id, which, expected in ((text_deal, "text", TEXT_LISTED), (link_deal, "link", LINK_LISTED)):
        result = account.copy(lead_id, partner, ADMIN, engine=engine)
        assert_partner_copy(account.lead(result.lead_id), ids, which)
        shown = listed([item.model_dump() for item in result.anonymised])
        assert {name: shown[name] for name in expected} == expected
        assert [s for s in SECRETS if s in result.model_dump_json()] == []  # the list names, never repeats
        assert result.failures == []
        masked = {f.name for f in result.copied.fields}
        assert {name for name, (action, _) in expected.items() if action == "masked"} <= masked


def test_placeholders_follow_the_language_of_the_copy(account: Account) -> None:
    (text_deal, _), ids = seed_deals(lambda payload: account.ctl.seed(account.id, payload))
    (english,) = account.ctl.seed(account.id, {"users": [{"name": "Jane Smith", "is_admin": True, "lang": "en"}]})[
        "users"
    ]
    result = account.copy(text_deal, rule("Партнёры", "Новая заявка", anonymise=True), english)
    comment = next(
        f for f in account.lead(result.lead_id)["custom_fields_values"] if f["field_id"] == ids["Комментарий"]
    )
    assert comment["values"][0]["value"].startswith(
        "Связаться: [phone hidden], [e-mail hidden]. ИНН [tax number hidden]"
    )


def test_a_copy_that_is_not_anonymised_carries_everything_as_typed(account: Account) -> None:
    (text_deal, link_deal), _ = seed_deals(lambda payload: account.ctl.seed(account.id, payload))
    engine = account.engine()
    for lead_id in (text_deal, link_deal):
        result = account.copy(lead_id, rule("Выполнение", "В работе"), USERS["Евгений Агеев"], engine=engine)
        assert result.anonymised == []
        assert account.lead(result.lead_id)["custom_fields_values"] == account.lead(lead_id)["custom_fields_values"]


def test_numbers_without_a_country_code_are_read_as_the_accounts_country(account: Account) -> None:
    """amoCRM's `country` of the account (stored at install) is the region; numbers with a code are found anywhere."""
    (spec,) = account.ctl.seed(account.id, {"custom_fields": [{"name": "Заметка", "type": "text"}]})["custom_fields"]
    value = "US office (212) 555-0100, Minsk +375 29 123-45-67"
    (lead_id,) = account.ctl.seed(
        account.id,
        {
            "leads": [
                {"name": "Сделка", "custom_fields_values": [{"field_id": spec["id"], "values": [{"value": value}]}]}
            ]
        },
    )["leads"]
    partner = rule("Партнёры", "Новая заявка", anonymise=True)
    noted = {}
    for country in ("US", "RU"):
        result = account.copy(lead_id, partner, ADMIN, engine=account.engine(country=country))
        (noted[country],) = [f["values"][0]["value"] for f in account.lead(result.lead_id)["custom_fields_values"]]
    assert noted["US"] == "US office [телефон скрыт], Minsk [телефон скрыт]"
    assert noted["RU"] == "US office (212) 555-0100, Minsk [телефон скрыт]"
