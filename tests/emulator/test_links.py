"""Lead links: contacts (one main), companies (one per lead), catalog elements with metadata."""

from __future__ import annotations

from amo_emulator.seed_demo import CATALOGS, CONTACTS, PRICE_FIELD, WHOLESALE_PRICE_FIELD

from .conftest import Connected, errors_of

LEAD = 24_002_815  # no contacts, company or products in the demo


def _links(demo: Connected, lead_id: int = LEAD, **params: str) -> list[dict]:
    response = demo.api.get(f"/api/v4/leads/{lead_id}/links", params=params)
    return [] if response.status_code == 204 else response.json()["_embedded"]["links"]


def test_get_links_of_demo_lead(demo: Connected) -> None:
    links = _links(demo, 24_002_811)
    contacts = [(ln["to_entity_id"], ln["metadata"]) for ln in links if ln["to_entity_type"] == "contacts"]
    assert contacts == [(52_000_001, {"main_contact": True}), (52_000_002, {"main_contact": False})]
    assert next(ln for ln in links if ln["to_entity_type"] == "companies")["metadata"] is None
    products = [ln for ln in links if ln["to_entity_type"] == "catalog_elements"]
    assert products[0]["metadata"] == {"quantity": 2, "catalog_id": 12_001, "price_id": PRICE_FIELD}
    only_products = _links(demo, 24_002_811, **{"filter[to_entity_type]": "catalog_elements"})
    assert {ln["to_entity_type"] for ln in only_products} == {"catalog_elements"}
    assert _links(demo) == []
    assert demo.api.get(f"/api/v4/leads/{LEAD}/links").status_code == 204


def test_link_contacts_main_contact_moves(demo: Connected) -> None:
    body = [
        {"to_entity_id": CONTACTS["Игорь Новиков"], "to_entity_type": "contacts"},
        {
            "to_entity_id": CONTACTS["Павел Морозов"],
            "to_entity_type": "contacts",
            "metadata": {"is_main": False},
        },
    ]
    response = demo.api.post(f"/api/v4/leads/{LEAD}/link", json=body)
    assert response.status_code == 200, response.text
    created = response.json()["_embedded"]["links"]
    assert [ln["metadata"] for ln in created] == [{"main_contact": True}, {"main_contact": False}]
    switch = [
        {
            "to_entity_id": CONTACTS["Павел Морозов"],
            "to_entity_type": "contacts",
            "metadata": {"is_main": True},
        }
    ]
    demo.api.post(f"/api/v4/leads/{LEAD}/link", json=switch)
    lead = demo.api.get(f"/api/v4/leads/{LEAD}", params={"with": "contacts"}).json()
    assert [(c["id"], c["is_main"]) for c in lead["_embedded"]["contacts"]] == [
        (52_000_005, False),
        (52_000_003, True),
    ]


def test_company_replaces_previous(demo: Connected) -> None:
    for company in (53_000_002, 53_000_003):
        demo.api.post(f"/api/v4/leads/{LEAD}/link", json=[{"to_entity_id": company, "to_entity_type": "companies"}])
    lead = demo.api.get(f"/api/v4/leads/{LEAD}").json()
    assert [c["id"] for c in lead["_embedded"]["companies"]] == [53_000_003]


def test_batch_link_products_with_metadata(demo: Connected) -> None:
    body = [
        {
            "entity_id": LEAD,
            "entity_type": "leads",
            "to_entity_id": 1_300_002,
            "to_entity_type": "catalog_elements",
            "metadata": {"quantity": 3, "catalog_id": CATALOGS["Товары"], "price_id": WHOLESALE_PRICE_FIELD},
        },
        {
            "entity_id": 24_002_812,
            "entity_type": "leads",
            "to_entity_id": 1_300_201,
            "to_entity_type": "catalog_elements",
            "metadata": {"quantity": 1.5, "catalog_id": CATALOGS["Счета/покупки"]},
        },
    ]
    response = demo.api.post("/api/v4/leads/link", json=body)
    assert response.status_code == 200, response.text
    assert [ln["entity_id"] for ln in response.json()["_embedded"]["links"]] == [LEAD, 24_002_812]
    lead = demo.api.get(f"/api/v4/leads/{LEAD}", params={"with": "catalog_elements"}).json()
    assert lead["_embedded"]["catalog_elements"] == [
        {
            "id": 1_300_002,
            "metadata": {"quantity": 3, "catalog_id": 12_001, "price_id": WHOLESALE_PRICE_FIELD},
        }
    ]
    # linking the same element again updates its quantity instead of duplicating it
    body[0]["metadata"]["quantity"] = 5
    demo.api.post("/api/v4/leads/link", json=body[:1])
    assert [ln["metadata"]["quantity"] for ln in _links(demo)] == [5]


def test_link_validation(demo: Connected) -> None:
    bad = [
        ({"to_entity_id": 1, "to_entity_type": "contacts"}, "to_entity_id"),
        ({"to_entity_id": 1, "to_entity_type": "companies"}, "to_entity_id"),
        ({"to_entity_id": 24_002_811, "to_entity_type": "leads"}, "to_entity_type"),
        (
            {"to_entity_id": 1_300_001, "to_entity_type": "catalog_elements", "metadata": {"quantity": 1}},
            "metadata.catalog_id",
        ),
        (
            {"to_entity_id": 1_300_001, "to_entity_type": "catalog_elements", "metadata": {"catalog_id": 99}},
            "metadata.catalog_id",
        ),
        (
            {
                "to_entity_id": 1_300_201,
                "to_entity_type": "catalog_elements",
                "metadata": {"catalog_id": 12_001},
            },
            "to_entity_id",
        ),
        (
            {
                "to_entity_id": 1_300_001,
                "to_entity_type": "catalog_elements",
                "metadata": {"catalog_id": 12_001, "price_id": 1},
            },
            "metadata.price_id",
        ),
    ]
    for item, path in bad:
        errors = errors_of(demo.api.post(f"/api/v4/leads/{LEAD}/link", json=[item]))
        assert errors[0]["errors"][0]["path"] == path, (item, errors)
    batch = [{"entity_id": 1, "entity_type": "leads", "to_entity_id": 53_000_001, "to_entity_type": "companies"}]
    assert errors_of(demo.api.post("/api/v4/leads/link", json=batch))[0]["errors"][0]["path"] == "entity_id"
    assert _links(demo) == []  # nothing linked by failed requests
    assert demo.api.post("/api/v4/leads/1/link", json=[]).status_code == 404


def test_unlink(demo: Connected) -> None:
    body = [{"to_entity_id": CONTACTS["Виктор Соколов"], "to_entity_type": "contacts"}]
    assert demo.api.post("/api/v4/leads/24002811/unlink", json=body).status_code == 204
    contacts = [ln for ln in _links(demo, 24_002_811) if ln["to_entity_type"] == "contacts"]
    assert [(ln["to_entity_id"], ln["metadata"]["main_contact"]) for ln in contacts] == [(52_000_002, True)]
