"""Deals filled as managers fill them, for anonymised copies: the client typed in anywhere, the work beside it.

`seed_deals` creates them in an emulated account (through its control API, as the suites do);
`assert_partner_copy` checks one copy: none of the personal or financial values, every working
value. Shared by the engine's tests and the HTTP paths (manual, preview, DP, repeat, delayed).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from amo_emulator.seed_demo import FIELD, pipeline_id, status_id

# Fields the demo account lacks: a free comment, a service list, and two neutral url fields.
EXTRA_FIELDS = [
    {"name": "Комментарий", "type": "textarea"},
    {"name": "Перечень работ", "type": "text"},
    {"name": "Связь", "type": "url"},
    {"name": "Ссылка 2", "type": "url"},
]

# Caught before masking existed (the whole field was dropped), and now masked in place.
CAUGHT_BEFORE = ("+7 909 726-01-77", "ivan.petrov@example.com", "7702456781", "40702810900000012345")
# Carried into partner copies before.
BELARUS_PHONE, SNILS, PASSPORT = "+375 29 123-45-67", "112-233-445 95", "4510 123456"
CARD, IBAN = "4276 3800 1234 5679", "DE89 3704 0044 0532 0130 00"
WHATSAPP, MAILTO = "https://wa.me/79097260177", "mailto:ivan.petrov@example.com"
SECRETS = (*CAUGHT_BEFORE, BELARUS_PHONE, SNILS, PASSPORT, CARD, IBAN, WHATSAPP, MAILTO, "79097260177")

TRACK = "LI-2025-000184"
CLOUD, MEETING = "https://onedrive.live.com/?id=01BYE5", "https://telemost.yandex.ru/161852181"
SERVICES = "Монтаж, настройка, обучение персонала"
SPEC_BEFORE, SPEC_AFTER = (
    "Спецификация: 2 сервера Dell R650, ИБП APC SRT3000RMXLI. Оплата картой",
    "монтаж в стойку 42U.",
)
WORK = (TRACK, CLOUD, MEETING, SERVICES, SPEC_BEFORE, SPEC_AFTER)

COMMENT = (
    f"Связаться: {CAUGHT_BEFORE[0]}, {CAUGHT_BEFORE[1]}. ИНН {CAUGHT_BEFORE[2]}, р/с {CAUGHT_BEFORE[3]}."
    f" В Минске: {BELARUS_PHONE}. СНИЛС {SNILS}. Паспорт {PASSPORT}."
)
SPECIFICATION = f"{SPEC_BEFORE} {CARD}, IBAN {IBAN}; {SPEC_AFTER}"


def seed_deals(seed: Callable[[dict[str, Any]], dict[str, Any]], stage: tuple[str, str] = ("Воронка", "Переговоры")):
    """Two deals in `stage`: (lead ids, `{field name: id}` of the fields they fill)."""
    created = seed({"custom_fields": EXTRA_FIELDS})["custom_fields"]
    ids = {spec["name"]: item["id"] for spec, item in zip(EXTRA_FIELDS, created, strict=True)}
    ids |= {name: FIELD[name] for name in ("Спецификация", "Трек-номер LiveInform", "OneDrive", "ТЕЛЕМОСТ", "Город")}
    ids["Услуги"] = FIELD["Услуги"]

    def values(by_name: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            {"field_id": ids[name], "values": [{"value": v} for v in (val if isinstance(val, list) else [val])]}
            for name, val in by_name.items()
        ]

    where = {"pipeline_id": pipeline_id(stage[0]), "status_id": status_id(*stage)}
    text_deal = {
        "name": "Поставка для ИП Петров",
        **where,
        "custom_fields_values": values(
            {
                "Комментарий": COMMENT,
                "Спецификация": SPECIFICATION,
                "Трек-номер LiveInform": TRACK,
                "Перечень работ": SERVICES,
                "Услуги": ["Монтаж", "Настройка"],
                "Город": "Пермь",
            }
        ),
    }
    link_deal = {
        "name": "Поставка для ООО Север",
        **where,
        "custom_fields_values": values({"Связь": WHATSAPP, "Ссылка 2": MAILTO, "OneDrive": CLOUD, "ТЕЛЕМОСТ": MEETING}),
    }
    return seed({"leads": [text_deal, link_deal]})["leads"], ids


def fields_by_name(lead: dict[str, Any], ids: dict[str, int]) -> dict[str, list[Any]]:
    names = {fid: name for name, fid in ids.items()}
    return {
        names.get(f["field_id"], str(f["field_id"])): [v.get("value") for v in f["values"]]
        for f in lead.get("custom_fields_values") or []
    }


def assert_partner_copy(copy: dict[str, Any], ids: dict[str, int], which: str) -> None:
    """A partner copy of the text deal (`which="text"`) or the link deal (`"link"`): no client, all the work."""
    dump = json.dumps(copy, ensure_ascii=False)
    assert [s for s in SECRETS if s in dump] == []
    fields = fields_by_name(copy, ids)
    if which == "text":
        comment = fields["Комментарий"][0]
        assert comment.startswith(
            "Связаться: [телефон скрыт], [e-mail скрыт]. ИНН [ИНН скрыт], р/с [номер счёта скрыт]."
        )
        assert comment.endswith("В Минске: [телефон скрыт]. СНИЛС [СНИЛС скрыт]. Паспорт [паспорт скрыт].")
        assert fields["Спецификация"] == [f"{SPEC_BEFORE} [номер карты скрыт], IBAN [IBAN скрыт]; {SPEC_AFTER}"]
        assert fields["Трек-номер LiveInform"] == [TRACK] and fields["Перечень работ"] == [SERVICES]
        assert sorted(fields["Услуги"]) == ["Монтаж", "Настройка"] and fields["Город"] == ["Пермь"]
    else:
        assert "Связь" not in fields and "Ссылка 2" not in fields
        assert fields["OneDrive"] == [CLOUD] and fields["ТЕЛЕМОСТ"] == [MEETING]


def listed(anonymised: list[dict[str, Any]]) -> dict[str, tuple[str, list[str]]]:
    """`{field name: (action, kinds)}` of a result's or a preview's `anonymised` list."""
    return {item["field"]: (item["action"], item["kinds"]) for item in anonymised}


TEXT_LISTED = {
    "Комментарий": ("masked", ["phone", "email", "inn", "account", "snils", "passport"]),
    "Спецификация": ("masked", ["card", "iban"]),
}
LINK_LISTED = {"Связь": ("removed", ["link"]), "Ссылка 2": ("removed", ["link"])}
