"""Notes on copies speak the language amoCRM reports for the acting user.

An English-speaking user of a Russian account gets English notes on the copy and its source;
a Russian-speaking one Russian notes. The language is `lang` of `/api/v4/users`; without it
the account's language (by domain) is used.
"""

from __future__ import annotations

from .conftest import ADMIN, Account, rule

SOURCE = 24_002_811


def _new_notes(account: Account, before: int, lead_id: int) -> list[str]:
    return [n["params"]["text"] for n in account.lead(lead_id)["notes"][before:]]


def test_an_english_user_gets_english_notes_and_a_russian_one_russian(account: Account) -> None:
    (english,) = account.ctl.seed(account.id, {"users": [{"name": "Jane Smith", "is_admin": True, "lang": "en"}]})[
        "users"
    ]
    before = len(account.lead(SOURCE)["notes"])
    made = account.copy(SOURCE, rule(), english)
    on_copy = [n["params"]["text"] for n in account.lead(made.lead_id)["notes"]]
    made_name = account.lead(made.lead_id)["name"]
    assert _new_notes(account, before, SOURCE) == [f"Copy of this lead: “{made_name}” (#{made.lead_id}) — {made.url}"]
    assert on_copy and on_copy[0].startswith(f"Created from lead “{account.lead(SOURCE)['name']}” (#{SOURCE})")

    before = len(account.lead(SOURCE)["notes"])
    again = account.copy(SOURCE, rule(), ADMIN)
    assert _new_notes(account, before, SOURCE)[0].startswith(
        f"Копия сделки: «{account.lead(again.lead_id)['name']}» (#{again.lead_id})"
    )
