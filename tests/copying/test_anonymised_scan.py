"""The anonymised partner copy of the manual's deal (6.7) read back whole, over HTTP, and scanned for the client.

The secrets are collected from the source generically: every value of a field the classifier
calls personal, requisites, location, map link, file, money or a linked record; the source's
name, budget, contacts and company; every datum of its linked legal entities and invoices and
its products' prices. Then the copy is read back through the API like any amoCRM client would
(lead, custom fields, links, every linked entity, notes) plus the emulator's own record, and
none of those secrets may appear in it. The scanner is first shown to find them in the source.
"""

from __future__ import annotations

import json
from typing import Any

from amo_emulator.seed_demo import CATALOGS, MANUAL_LEAD_ID, USERS
from dealcopy.copying import anonymise, classify
from dealcopy.copying.metadata import AccountMetadata
from dealcopy.copying.pii.detect import find

from .conftest import Account, rule
from .leaves import strings, sums

# Reasons whose values identify the client or the money (tracking data is marketing, not the client).
SECRET_REASONS = {
    classify.REQUISITES,
    classify.PERSONAL,
    classify.PERSONAL_LINK,
    classify.LOOKS_PERSONAL,
    classify.LOCATION,
    classify.MAP_LINK,
    classify.FILE,
    classify.MONEY,
    classify.LINKED_RECORD,
}
# Literals of the manual's sample deal: they must be among the secrets and absent from the copy.
WITH = {"with": "contacts,catalog_elements"}
KNOWN = ("7702456781", "770201001", "56.2294", "58.0105", "yandex.ru/maps", "Договор №184", "Арктик", "+7909")


def get(account: Account, path: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
    return account.api.get(path, params) or {}


def linked(account: Account, lead_id: int) -> list[dict[str, Any]]:
    """Every entity linked to a lead (contacts, companies, catalog elements), read through the API."""
    links = (get(account, f"/api/v4/leads/{lead_id}/links").get("_embedded") or {}).get("links") or []
    found = []
    for link in links:
        kind, eid = link["to_entity_type"], link["to_entity_id"]
        if kind == "catalog_elements":
            path = f"/api/v4/catalogs/{link['metadata']['catalog_id']}/elements/{eid}"
        else:
            path = f"/api/v4/{kind}/{eid}"
        found.append({"link": link, "entity": get(account, path)})
    return found


def read_whole(account: Account, lead_id: int) -> dict[str, Any]:
    """A lead as amoCRM clients see it, plus everything linked to it, its notes and the emulator's own record."""
    return {
        "lead": get(account, f"/api/v4/leads/{lead_id}", WITH),
        "linked": linked(account, lead_id),
        "notes": get(account, f"/api/v4/leads/{lead_id}/notes"),
        "record": account.lead(lead_id),
    }


def secrets_of(source: dict[str, Any], metadata: AccountMetadata) -> tuple[set[str], set[float]]:
    """What identifies the client or the money in the source: texts and amounts."""
    lead = source["lead"]
    texts, amounts = {lead["name"]}, {float(lead["price"])}
    harmless: set[str] = set()  # values the source keeps in fields an anonymised copy may carry
    partner = rule("Партнёры", "Новая заявка", anonymise=True)
    for item in lead["custom_fields_values"]:
        field = metadata.fields[item["field_id"]]
        decision = anonymise.decide(partner, field, item["values"], "RU", "ru")
        if decision is None:
            harmless |= strings(item["values"])
        elif decision.reason in SECRET_REASONS:
            texts |= strings(item["values"])
            amounts |= sums(item["values"]) if decision.reason == classify.MONEY else set()
        elif decision.reason is None:  # masked in place: the values found are the secrets
            texts |= {value[f.start : f.end] for value in strings(item["values"]) for f in find(value, "RU")}
    for entry in source["linked"]:
        entity, kind = entry["entity"], entry["link"]["to_entity_type"]
        catalog = metadata.catalogs.get((entry["link"].get("metadata") or {}).get("catalog_id"))
        if kind in ("contacts", "companies") or (catalog is not None and catalog.type != "products"):
            texts |= {entity["name"]} | strings(entity.get("custom_fields_values"))
        for item in entity.get("custom_fields_values") or []:  # product prices, invoice totals
            if (item.get("field_type") or "") in ("price", "monetary", "items") or item.get("field_code") == "PRICE":
                amounts |= sums(item["values"])
    # A city the source also keeps in a harmless «Город» select is not a secret of the address.
    texts = {t for t in texts if len(t) >= 4 and t not in harmless}
    texts |= {str(int(a)) for a in amounts if a >= 10_000 and a == int(a)}
    return texts, {a for a in amounts if a >= 10}


def leaks(whole: dict[str, Any], texts: set[str], amounts: set[float]) -> list[str]:
    """Every secret found in a lead read back whole (texts anywhere; amounts as price or field values)."""
    dump = json.dumps(whole, ensure_ascii=False)
    found = sorted(t for t in texts if t in dump)
    lead = whole["lead"]
    values = [lead.get("price"), [f["values"] for f in lead.get("custom_fields_values") or []]]
    values += [e["entity"].get("custom_fields_values") for e in whole["linked"]]
    found += sorted(f"amount {a:g}" for a in sums(values) & amounts)
    return found


def test_the_anonymised_partner_copy_carries_nothing_of_the_client(account: Account) -> None:
    engine = account.engine()
    metadata = engine.metadata()
    source = read_whole(account, MANUAL_LEAD_ID)
    texts, amounts = secrets_of(source, metadata)
    assert set(KNOWN) <= {k for k in KNOWN if any(k in t for t in texts)}, "the literals are among the secrets"
    assert {100.0, 50000.0, 450000.0, 185000.0} <= amounts
    assert len(leaks(source, texts, amounts)) > 20  # the scanner finds the client in the source

    partner = rule(
        "Партнёры",
        "Новая заявка",
        anonymise=True,
        responsible={"mode": "fixed", "user_id": USERS["Дмитрий Игоревич Бичесловский"]},
    )
    result = account.copy(MANUAL_LEAD_ID, partner, USERS["Евгений Агеев"], engine=engine)
    copy = read_whole(account, result.lead_id)

    assert leaks(copy, texts, amounts) == []
    assert [k for k in KNOWN if k in json.dumps(copy, ensure_ascii=False)] == []
    assert not copy["lead"].get("price")
    assert copy["lead"]["name"] == f"Копия сделки #{MANUAL_LEAD_ID}"
    assert copy["linked"] == []  # no contacts, no company, no legal entities, invoices or products
    assert copy["lead"]["custom_fields_values"], "the work itself is carried"
    assert result.failures == [] and result.warnings == []
    # The result names what it left out without repeating it.
    assert leaks({"lead": {}, "linked": [], "result": result.model_dump(mode="json")}, texts, amounts) == []


def test_products_chosen_explicitly_travel_with_their_prices_and_the_result_says_so(account: Account) -> None:
    engine = account.engine()
    metadata = engine.metadata()
    texts, amounts = secrets_of(read_whole(account, MANUAL_LEAD_ID), metadata)
    partner = rule("Партнёры", "Новая заявка", anonymise=True, catalogs=[CATALOGS["Товары"]])
    result = account.copy(MANUAL_LEAD_ID, partner, USERS["Евгений Агеев"], engine=engine)
    copy = read_whole(account, result.lead_id)

    assert result.warnings == ["anonymised-products-carry-prices"]
    assert {e["link"]["to_entity_type"] for e in copy["linked"]} == {"catalog_elements"}
    # What shows is the products themselves (their prices, and SKUs the source's order lines share), as warned.
    products = [e["entity"] for e in copy["linked"]]
    found = leaks({"lead": copy["lead"], "linked": [], "notes": copy["notes"], "record": {}}, texts, amounts)
    assert found == []
    with_products = leaks(copy, texts, amounts)
    assert {f for f in with_products if f.startswith("amount ")} == {f"amount {a:g}" for a in sums(products) & amounts}
    shown = strings(products)
    assert all(any(f in p for p in shown) for f in with_products if not f.startswith("amount "))
    assert with_products
