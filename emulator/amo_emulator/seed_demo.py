"""The demo account: the pipelines, people and fields of the product's user manual.

All ids are fixed here so tests, the local stack and benchmarks can refer to them
(``DEMO_IDS`` summarizes them; ``GET /_emulator/demo`` returns the same dict).
Lead 24002811 is the deal on the manual's screenshots.
"""

from __future__ import annotations

from typing import Any

from .seeding import apply_seed, new_account
from .state import LOST_STATUS_ID, WON_STATUS_ID, Account, EmulatorState

DEMO_ACCOUNT_ID = 30_000_001
DEMO_SUBDOMAIN = "demo"
DEMO_NAME = "АвисКлауд (демо)"
T0 = 1_737_706_500  # 24.01.2025 11:15 MSK, creation time of lead #24002811 in the manual

# name -> (pipeline id, stages); status id = 71_000_000 + pipeline number * 100 + stage number (0 = incoming)
PIPELINES: dict[str, tuple[int, list[str]]] = {
    "Воронка": (
        8_000_001,
        ["Первичный контакт", "Переговоры", "Принимают решение", "Оплачен счёт", "Передать партнёру"],
    ),
    "Support": (8_000_002, ["Новое обращение", "Переговоры", "Решено"]),
    "Яндекс": (8_000_003, ["Первичный контакт", "Переговоры", "Активация услуги"]),
    "Выполнение": (8_000_004, ["В работе", "Проверка", "Сдано"]),
    "Партнёры": (8_000_005, ["Новая заявка", "В работе у партнёра"]),
    "Логистика": (8_000_006, ["Первичный контакт", "Готово к поставке", "Отгружено"]),
    "Повторные продажи": (8_000_007, ["Новый запрос", "Подписка начата", "Продлено"]),
}


def pipeline_id(name: str) -> int:
    return PIPELINES[name][0]


def status_id(pipeline: str, stage: str) -> int:
    """Demo status id by names; "Неразобранное", 142 and 143 are valid in every pipeline."""
    if stage == "Успешно реализовано":
        return WON_STATUS_ID
    if stage == "Закрыто и не реализовано":
        return LOST_STATUS_ID
    pid, stages = PIPELINES[pipeline]
    number = 0 if stage == "Неразобранное" else stages.index(stage) + 1
    return 71_000_000 + (pid - 8_000_000) * 100 + number


GROUPS = {"Отдел продаж": 400_001, "Отдел исполнения": 400_002, "Партнёрский отдел": 400_003}
ROLES = {"Менеджер": 500_001, "Руководитель отдела": 500_002}
USERS = {
    "Евгений Агеев": 11_000_001,
    "Иванов Иван Иванович": 11_000_002,
    "Виктор": 11_000_003,
    "Дмитрий Артемьевич": 11_000_004,
    "Артем Иванович": 11_000_005,
    "Дмитрий Игоревич Бичесловский": 11_000_006,
    "Людмила Артемьевна": 11_000_007,
    "Сергей Кузнецов": 11_000_008,  # deactivated
}
LOSS_REASONS = {"Дорого": 9_000_001, "Выбрали конкурента": 9_000_002, "Нет бюджета": 9_000_003}

# Lead custom fields: name -> (id, type, extra spec).  Together they cover every type amoCRM offers
# on leads, and only those: the field-type table of the official PHP SDK's README
# (github.com/amocrm/amocrm-api-php, README.md, «Для разных типов полей мы уже подготовили разные
# модели и коллекции», column «Сделка») **C (SDK)**; the emulator enforces it
# (custom_fields.OFFERED_TYPES).  The other types live where amoCRM has them: price, category and
# linked_entity on the products catalog, payer, supplier and items on «Счета/покупки», multitext
# (phones, e-mails) on contacts and companies, the deprecated org_legal_name on a company (U).
# So «Цена» is monetary, «Категория» a select and «Телефон менеджера» plain text here.
LEAD_FIELDS: dict[str, tuple[int, str, dict[str, Any]]] = {
    "Плательщик": (1_100_001, "radiobutton", {"enums": ["ФЛ", "ЮЛ"]}),
    "Короткий адрес": (1_100_002, "streetaddress", {}),
    "Яндекс.Карта": (1_100_003, "url", {}),
    "Вид ID (AvisSIGN)": (
        1_100_004,
        "select",
        {"enums": ["Паспорт РФ", "Загранпаспорт", "Водительское удостоверение"]},
    ),
    "Трек-номер LiveInform": (1_100_005, "text", {}),
    "Статус LiveInform": (1_100_006, "select", {"enums": ["Создан", "В пути", "Доставлен", "Возврат"]}),
    "Назначение платежа": (1_100_007, "text", {}),
    "n_long": (1_100_008, "numeric", {}),
    "n_lat": (1_100_009, "numeric", {}),
    "ТЕЛЕМОСТ": (1_100_010, "url", {}),
    "Ссылка для присоединения": (1_100_011, "date", {}),
    "OneDrive ID": (1_100_012, "text", {}),
    "OneDrive": (1_100_013, "url", {}),
    "Адрес": (1_100_014, "smart_address", {}),
    "Дата рождения": (1_100_015, "birthday", {}),
    "Телефон менеджера": (1_100_016, "text", {}),
    "ИНН": (1_100_017, "text", {}),
    "Сумма предоплаты": (1_100_018, "monetary", {"currency": "RUB"}),
    "Цена": (1_100_019, "monetary", {"currency": "RUB"}),
    "Спецификация": (1_100_020, "textarea", {}),
    "Услуги": (
        1_100_021,
        "multiselect",
        {"enums": ["Монтаж", "Настройка", "Обучение", "Техподдержка", "Доставка"]},
    ),
    "Категория": (1_100_022, "select", {"enums": ["Оборудование", "Программное обеспечение", "Услуги"]}),
    "Город": (
        1_100_023,
        "select",
        {"enums": ["Москва", "Санкт-Петербург", "Пермь", "Екатеринбург", "Новосибирск"]},
    ),
    "Срочно": (1_100_024, "checkbox", {}),
    "Договор": (1_100_025, "file", {}),
    "Регион/Город": (
        1_100_026,
        "chained_list",
        {
            "chained_lists": [
                {"title": "Регион", "catalog_id": 12_004, "parent_catalog_id": 0},
                {"title": "Город", "catalog_id": 12_005, "parent_catalog_id": 12_004},
            ]
        },
    ),
    "Юр. лицо": (1_100_027, "legal_entity", {}),
    "Дата и время встречи": (1_100_031, "date_time", {}),
    "utm_source": (
        1_100_034,
        "tracking_data",
        {"code": "UTM_SOURCE", "is_predefined": True, "is_deletable": False},
    ),
    "Дата отгрузки": (1_100_035, "date", {}),
    "Скидка, %": (1_100_036, "numeric", {}),
}
FIELD = {name: spec[0] for name, spec in LEAD_FIELDS.items()}

CATALOGS = {
    "Товары": 12_001,
    "Мои юр. лица": 12_002,
    "Счета/покупки": 12_003,
    "Регионы": 12_004,
    "Города": 12_005,
}
CATALOG_FIELDS = {
    "Артикул": 1_200_001,
    "Цена": 1_200_002,
    "Оптовая цена": 1_200_003,
    "Описание": 1_200_004,
    "Группа": 1_200_005,
    "Сопутствующий товар": 1_200_006,
    "ИНН": 1_200_011,
    "Реквизиты": 1_200_012,
    "Статус счёта": 1_200_021,
    "Плательщик": 1_200_022,
    "Поставщик": 1_200_023,
    "Позиции": 1_200_024,
    "Итоговая сумма": 1_200_025,
    "Комментарий": 1_200_026,
    "Дата оплаты": 1_200_027,
}
PRICE_FIELD, WHOLESALE_PRICE_FIELD = CATALOG_FIELDS["Цена"], CATALOG_FIELDS["Оптовая цена"]
# A legacy company field (org_legal_name, deprecated by amoCRM; see LEAD_FIELDS).
COMPANY_FIELDS = {"Название организации": 1_400_001}
COMPANIES = {
    "Арктик Вест-Сервисес": 53_000_001,
    "ООО «Ромашка»": 53_000_002,
    "АО «ТехноСтрой»": 53_000_003,
    "ИП Белов А. В.": 53_000_004,
}
CONTACTS = {
    "Виктор Соколов": 52_000_001,
    "Анна Кузнецова": 52_000_002,
    "Павел Морозов": 52_000_003,
    "Ольга Лебедева": 52_000_004,
    "Игорь Новиков": 52_000_005,
    "Марина Волкова": 52_000_006,
}
MANUAL_LEAD_ID = 24_002_811
LEAD_IDS = list(range(24_002_811, 24_002_821))


def _v(value: Any) -> dict[str, Any]:
    """Wrap a structured value (legal entity, file, item...) as ``{"value": ...}``."""
    return {"value": value}


def _cf(name: str, *values: Any) -> dict[str, Any]:
    """A lead field value list; plain values become ``{"value": v}``."""
    return {"field_id": FIELD[name], "values": [v if isinstance(v, dict) else {"value": v} for v in values]}


def _catalog_cf(name: str, *values: Any) -> dict[str, Any]:
    return {
        "field_id": CATALOG_FIELDS[name],
        "values": [v if isinstance(v, dict) else {"value": v} for v in values],
    }


def _phone(number: str, kind: str = "WORK") -> dict[str, Any]:
    return {"field_code": "PHONE", "values": [{"value": number, "enum_code": kind}]}


def _email(address: str) -> dict[str, Any]:
    return {"field_code": "EMAIL", "values": [{"value": address, "enum_code": "WORK"}]}


def _product(element: int, quantity: float, price_field: int | None = PRICE_FIELD) -> dict[str, Any]:
    return {
        "id": element,
        "metadata": {"quantity": quantity, "catalog_id": CATALOGS["Товары"], "price_id": price_field},
    }


def _in_catalog(catalog: str, element: int, quantity: float = 1) -> dict[str, Any]:
    return {
        "id": element,
        "metadata": {"quantity": quantity, "catalog_id": CATALOGS[catalog], "price_id": None},
    }


ARCTIC_LEGAL = {
    "name": "ООО «Арктик Вест-Сервисес»",
    "entity_type": "legal",
    "vat_id": "7702456781",
    "kpp": "770201001",
    "tax_registration_reason_code": "770201001",
    "address": "125009, г. Москва, ул. Тверская, д. 1",
    "external_uid": None,
}
ARCTIC_PAYER = {"name": ARCTIC_LEGAL["name"], "entity_type": "companies", "entity_id": 53_000_001}
AVISCLOUD = {"name": "ООО «АВИСКЛАУД»", "vat_id": "5959003518", "kpp": "595901001", "entity_type": "legal"}
SERVER_ITEM = {
    "sku": "DELL-R650",
    "description": "Сервер Dell PowerEdge R650",
    "unit_price": 450000,
    "quantity": 2,
    "unit_type": "шт",
    "discount": {"type": "percentage", "value": 5},
    "vat_rate_id": 0,
    "external_uid": None,
}
UPS_ITEM = {
    "sku": "APC-3000",
    "description": "ИБП APC Smart-UPS 3000",
    "unit_price": 185000,
    "quantity": 1,
    "unit_type": "шт",
}
CONTRACT_FILE = {
    "file_uuid": "5b1c3a2e-8f6d-4c1b-9a7e-2d4f6b8a0c11",
    "version_uuid": "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b",
    "file_name": "Договор №184 от 24.01.2025.pdf",
    "file_size": 248731,
}


def _every_type_values() -> list[dict[str, Any]]:
    """Values of every lead field: lead #24002811 carries all of them (invoice data is on its linked invoice)."""
    return [
        _cf("Плательщик", "ЮЛ"),
        _cf("Короткий адрес", "Пермь, ул. Ленина, 50"),
        _cf("Яндекс.Карта", "https://yandex.ru/maps/-/CDdkZ0~i"),
        _cf("Вид ID (AvisSIGN)", "Паспорт РФ"),
        _cf("Трек-номер LiveInform", "LI-2025-000184"),
        _cf("Статус LiveInform", "В пути"),
        _cf("Назначение платежа", "Так надо было 22"),
        _cf("n_long", 56.2294),
        _cf("n_lat", "58.0105"),
        _cf("ТЕЛЕМОСТ", "https://telemost.yandex.ru/161852181"),
        _cf("Ссылка для присоединения", 1_726_790_400),
        _cf("OneDrive ID", "01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K"),
        _cf("OneDrive", "https://onedrive.live.com/?id=01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K"),
        _cf(
            "Адрес",
            {"value": "ул. Ленина, 50", "enum_code": "address_line_1"},
            {"value": "Пермь", "enum_code": "city"},
            {"value": "Пермский край", "enum_code": "state"},
            {"value": "614000", "enum_code": "zip"},
            {"value": "RU", "enum_code": "country"},
        ),
        _cf("Дата рождения", 485_481_600),
        _cf("Телефон менеджера", "+79097260177"),
        _cf("ИНН", "7702456781"),
        _cf("Сумма предоплаты", 50000),
        _cf("Цена", 100),
        _cf("Спецификация", "Сервер Dell R650 — 2 шт.\nИБП APC 3000 — 1 шт.\nМонтаж и пусконаладка."),
        _cf("Услуги", "Монтаж", "Настройка"),
        _cf("Категория", "Оборудование"),
        _cf("Город", "Пермь"),
        _cf("Срочно", True),
        _cf("Договор", _v(CONTRACT_FILE)),
        {
            "field_id": FIELD["Регион/Город"],
            "values": [
                {"catalog_id": CATALOGS["Регионы"], "catalog_element_id": 1_300_301},
                {"catalog_id": CATALOGS["Города"], "catalog_element_id": 1_300_401},
            ],
        },
        _cf("Юр. лицо", _v(ARCTIC_LEGAL)),
        _cf("Дата и время встречи", 1_738_137_600),
        _cf("utm_source", "yandex"),
        _cf("Дата отгрузки", 1_738_800_000),
        _cf("Скидка, %", "5"),
    ]


def _structure() -> dict[str, Any]:
    own_only = {"view": "M", "edit": "M", "add": "A", "delete": "M", "export": "D"}
    logistics_readonly = [
        {
            "pipeline_id": pipeline_id("Логистика"),
            "status_id": status_id("Логистика", stage),
            "rights": {"edit": "D", "delete": "D"},
        }
        for stage in (
            "Неразобранное",
            *PIPELINES["Логистика"][1],
            "Успешно реализовано",
            "Закрыто и не реализовано",
        )
    ]
    user = {
        "Евгений Агеев": {
            "is_admin": True,
            "group_id": GROUPS["Отдел продаж"],
            "email": "ageev@aviscloud.ru",
        },
        "Иванов Иван Иванович": {"group_id": GROUPS["Отдел продаж"], "role_id": ROLES["Руководитель отдела"]},
        # Cannot create or move leads in «Логистика»: stage rights deny editing there.
        "Виктор": {
            "group_id": GROUPS["Отдел исполнения"],
            "role_id": ROLES["Менеджер"],
            "status_rights": logistics_readonly,
        },
        "Дмитрий Артемьевич": {"group_id": GROUPS["Отдел продаж"], "role_id": ROLES["Менеджер"]},
        # Works with the leads of his group only.
        "Артем Иванович": {
            "group_id": GROUPS["Отдел исполнения"],
            "rights": {"leads": {"view": "G", "edit": "G", "add": "A", "delete": "D", "export": "D"}},
        },
        "Дмитрий Игоревич Бичесловский": {"group_id": GROUPS["Партнёрский отдел"]},
        # Sees and edits only the leads, contacts and companies she is responsible for.
        "Людмила Артемьевна": {
            "group_id": GROUPS["Отдел продаж"],
            "rights": {"leads": own_only, "contacts": own_only, "companies": own_only},
        },
        "Сергей Кузнецов": {"group_id": GROUPS["Отдел продаж"], "is_active": False},
    }
    return {
        "groups": [{"id": gid, "name": name} for name, gid in GROUPS.items()],
        "roles": [
            {
                "id": ROLES["Менеджер"],
                "name": "Менеджер",
                "rights": {"leads": {"view": "A", "edit": "A", "add": "A", "delete": "D", "export": "D"}},
            },
            {"id": ROLES["Руководитель отдела"], "name": "Руководитель отдела"},
        ],
        "pipelines": [
            {
                "id": pid,
                "name": name,
                "is_main": name == "Воронка",
                "statuses": [{"id": status_id(name, stage), "name": stage} for stage in stages],
                "incoming_id": status_id(name, "Неразобранное"),
            }
            for name, (pid, stages) in PIPELINES.items()
        ],
        "users": [
            {"id": uid, "name": name, "email": f"user{uid}@aviscloud.example", **user[name]}
            for name, uid in USERS.items()
        ],
        "loss_reasons": [{"id": rid, "name": name} for name, rid in LOSS_REASONS.items()],
    }


def _catalogs() -> dict[str, Any]:
    return {
        "catalogs": [
            {
                "id": CATALOGS["Товары"],
                "name": "Товары",
                "type": "products",
                "custom_fields": [
                    {"id": CATALOG_FIELDS["Артикул"], "name": "Артикул", "type": "text", "code": "SKU"},
                    {"id": PRICE_FIELD, "name": "Цена", "type": "price", "code": "PRICE"},
                    {"id": WHOLESALE_PRICE_FIELD, "name": "Оптовая цена", "type": "price"},
                    {
                        "id": CATALOG_FIELDS["Описание"],
                        "name": "Описание",
                        "type": "textarea",
                        "code": "DESCRIPTION",
                    },
                    {
                        "id": CATALOG_FIELDS["Группа"],
                        "name": "Группа",
                        "type": "category",
                        "code": "GROUP",
                        "enums": ["Оборудование", "Услуги", "Расходники"],
                    },
                    {
                        "id": CATALOG_FIELDS["Сопутствующий товар"],
                        "name": "Сопутствующий товар",
                        "type": "linked_entity",
                    },
                ],
            },
            {
                "id": CATALOGS["Мои юр. лица"],
                "name": "Мои юр. лица",
                "type": "regular",
                "custom_fields": [
                    {"id": CATALOG_FIELDS["ИНН"], "name": "ИНН", "type": "text"},
                    {"id": CATALOG_FIELDS["Реквизиты"], "name": "Реквизиты", "type": "textarea"},
                ],
            },
            {
                "id": CATALOGS["Счета/покупки"],
                "name": "Счета/покупки",
                "type": "invoices",
                "custom_fields": [
                    {
                        "id": CATALOG_FIELDS["Статус счёта"],
                        "name": "Статус счёта",
                        "type": "select",
                        "code": "BILL_STATUS",
                        "enums": ["Создан", "Оплачен", "Частично оплачен", "Отменён"],
                    },
                    {
                        "id": CATALOG_FIELDS["Плательщик"],
                        "name": "Плательщик",
                        "type": "payer",
                        "code": "PAYER",
                    },
                    {
                        "id": CATALOG_FIELDS["Поставщик"],
                        "name": "Поставщик",
                        "type": "supplier",
                        "code": "SUPPLIER",
                    },
                    {"id": CATALOG_FIELDS["Позиции"], "name": "Позиции", "type": "items", "code": "ITEMS"},
                    {
                        "id": CATALOG_FIELDS["Итоговая сумма"],
                        "name": "Итоговая сумма",
                        "type": "numeric",
                        "code": "PRICE",
                    },
                    {
                        "id": CATALOG_FIELDS["Комментарий"],
                        "name": "Комментарий",
                        "type": "textarea",
                        "code": "COMMENT",
                    },
                    {
                        "id": CATALOG_FIELDS["Дата оплаты"],
                        "name": "Дата оплаты",
                        "type": "date",
                        "code": "PAYMENT_DATE",
                    },
                ],
            },
            {"id": CATALOGS["Регионы"], "name": "Регионы", "type": "regular"},
            {"id": CATALOGS["Города"], "name": "Города", "type": "regular"},
        ],
        "custom_fields": [
            *({"id": fid, "name": name, "type": ftype, **extra} for name, (fid, ftype, extra) in LEAD_FIELDS.items()),
            *(
                {"id": fid, "name": name, "type": "org_legal_name", "entity_type": "companies"}
                for name, fid in COMPANY_FIELDS.items()
            ),
        ],
        "catalog_elements": _elements(),
    }


def _product_element(
    eid: int, name: str, sku: str, price: int, wholesale: int, group: str, goes_with: int | None = None
) -> dict[str, Any]:
    values = [
        _catalog_cf("Артикул", sku),
        _catalog_cf("Цена", price),
        _catalog_cf("Оптовая цена", wholesale),
        _catalog_cf("Описание", name),
        _catalog_cf("Группа", group),
    ]
    if goes_with:
        other = {"name": PRODUCTS[goes_with], "entity_id": goes_with, "entity_type": "catalog_elements"}
        values.append(_catalog_cf("Сопутствующий товар", _v({**other, "catalog_id": CATALOGS["Товары"]})))
    return {"id": eid, "catalog_id": CATALOGS["Товары"], "name": name, "custom_fields_values": values}


def _invoice(eid: int, name: str, status: str, total: int, items: list[dict[str, Any]], paid_at: int | None):
    values = [
        _catalog_cf("Статус счёта", status),
        _catalog_cf("Плательщик", _v(ARCTIC_PAYER)),
        _catalog_cf("Поставщик", _v(AVISCLOUD)),
        _catalog_cf("Позиции", *map(_v, items)),
        _catalog_cf("Итоговая сумма", total),
        _catalog_cf("Комментарий", "Оплата по безналичному расчёту"),
    ]
    if paid_at:
        values.append(_catalog_cf("Дата оплаты", paid_at))
    return {"id": eid, "catalog_id": CATALOGS["Счета/покупки"], "name": name, "custom_fields_values": values}


PRODUCTS = {
    1_300_001: "Сервер Dell PowerEdge R650",
    1_300_002: "ИБП APC Smart-UPS 3000",
    1_300_003: "Коммутатор Cisco Catalyst 9200",
    1_300_004: "Монтаж оборудования",
    1_300_005: "Кабель UTP Cat6, 305 м",
    1_300_006: "Годовая подписка на техподдержку",
}


def _elements() -> list[dict[str, Any]]:
    return [
        _product_element(1_300_001, PRODUCTS[1_300_001], "DELL-R650", 450000, 420000, "Оборудование", 1_300_004),
        _product_element(1_300_002, PRODUCTS[1_300_002], "APC-3000", 185000, 170000, "Оборудование"),
        _product_element(1_300_003, PRODUCTS[1_300_003], "C9200-24T", 120000, 110000, "Оборудование"),
        _product_element(1_300_004, PRODUCTS[1_300_004], "SRV-MOUNT", 15000, 15000, "Услуги"),
        _product_element(1_300_005, PRODUCTS[1_300_005], "UTP6-305", 12000, 10500, "Расходники"),
        _product_element(1_300_006, PRODUCTS[1_300_006], "SUP-1Y", 60000, 55000, "Услуги"),
        {
            "id": 1_300_101,
            "catalog_id": CATALOGS["Мои юр. лица"],
            "name": "ООО «АВИСКЛАУД»",
            "custom_fields_values": [
                _catalog_cf("ИНН", "5959003518"),
                # legal_entity is not offered on catalogs (see LEAD_FIELDS): requisites as text
                _catalog_cf("Реквизиты", f"{AVISCLOUD['name']}, ИНН {AVISCLOUD['vat_id']}, КПП {AVISCLOUD['kpp']}"),
            ],
        },
        {
            "id": 1_300_102,
            "catalog_id": CATALOGS["Мои юр. лица"],
            "name": "ИП Агеев Е. В.",
            "custom_fields_values": [_catalog_cf("ИНН", "590400112233")],
        },
        _invoice(1_300_201, "Счёт №184 от 24.01.2025", "Оплачен", 1_040_000, [SERVER_ITEM, UPS_ITEM], 1_738_022_400),
        _invoice(1_300_202, "Счёт №185 от 03.02.2025", "Создан", 240_000, [UPS_ITEM], None),
        _invoice(1_300_203, "Счёт №201 от 15.03.2025", "Частично оплачен", 60_000, [UPS_ITEM], None),
        *[
            {"id": eid, "catalog_id": CATALOGS["Регионы"], "name": name}
            for eid, name in (
                (1_300_301, "Пермский край"),
                (1_300_302, "Москва"),
                (1_300_303, "Свердловская область"),
            )
        ],
        *[
            {"id": eid, "catalog_id": CATALOGS["Города"], "name": name}
            for eid, name in ((1_300_401, "Пермь"), (1_300_402, "Москва"), (1_300_403, "Екатеринбург"))
        ],
    ]


def _people() -> dict[str, Any]:
    company_fields = {
        "Арктик Вест-Сервисес": (
            "+74957770011",
            "info@arctic-west.ru",
            "https://arctic-west.ru",
            "125009, г. Москва, ул. Тверская, д. 1",
        ),
        "ООО «Ромашка»": (
            "+74951112233",
            "office@romashka.ru",
            "https://romashka.ru",
            "г. Москва, ул. Садовая, д. 5",
        ),
        "АО «ТехноСтрой»": (
            "+73432223300",
            "info@tehnostroy.ru",
            "https://tehnostroy.ru",
            "г. Екатеринбург, пр. Ленина, д. 24",
        ),
        "ИП Белов А. В.": ("+73422334455", "belov@belov-ip.ru", "", "г. Пермь, ул. Сибирская, д. 10"),
    }
    companies = []
    for name, cid in COMPANIES.items():
        phone, email, web, address = company_fields[name]
        values = [_phone(phone), _email(email), {"field_code": "ADDRESS", "values": [{"value": address}]}]
        if web:
            values.append({"field_code": "WEB", "values": [{"value": web}]})
        if name == "Арктик Вест-Сервисес":
            values.append(
                {"field_id": COMPANY_FIELDS["Название организации"], "values": [{"value": ARCTIC_LEGAL["name"]}]}
            )
        companies.append({"id": cid, "name": name, "custom_fields_values": values, "created_at": T0 - 86_400 * 30})
    people = [
        (
            "Виктор Соколов",
            "+79091234567",
            "WORK",
            "v.sokolov@arctic-west.ru",
            "Директор по закупкам",
            "Арктик Вест-Сервисес",
        ),
        (
            "Анна Кузнецова",
            "+79127654321",
            "MOB",
            "a.kuznetsova@arctic-west.ru",
            "Главный бухгалтер",
            "Арктик Вест-Сервисес",
        ),
        (
            "Павел Морозов",
            "+74951234567",
            "WORK",
            "morozov@romashka.ru",
            "Генеральный директор",
            "ООО «Ромашка»",
        ),
        (
            "Ольга Лебедева",
            "+73432223344",
            "WORK",
            "lebedeva@tehnostroy.ru",
            "Руководитель ИТ-отдела",
            "АО «ТехноСтрой»",
        ),
        ("Игорь Новиков", "+79223334455", "MOB", "novikov.i@mail.ru", "", None),
        (
            "Марина Волкова",
            "+79028887766",
            "MOB",
            "volkova@belov-ip.ru",
            "Менеджер по снабжению",
            "ИП Белов А. В.",
        ),
    ]
    contacts = []
    for name, phone, kind, email, position, company in people:
        first, last = name.split(" ", 1)
        values = [_phone(phone, kind), _email(email)]
        if position:
            values.append({"field_code": "POSITION", "values": [{"value": position}]})
        contacts.append(
            {
                "id": CONTACTS[name],
                "name": name,
                "first_name": first,
                "last_name": last,
                "company_id": COMPANIES[company] if company else None,
                "custom_fields_values": values,
                "created_at": T0 - 86_400 * 20,
            }
        )
    return {"companies": companies, "contacts": contacts}


def _lead(
    lid: int,
    name: str,
    pipeline: str,
    stage: str,
    owner: str,
    price: int,
    contacts: list[tuple[str, bool]],
    company: str | None,
    fields: list[dict[str, Any]],
    elements: list[dict[str, Any]] = (),
    tags: list[str] = (),
    **extra: Any,
) -> dict[str, Any]:
    embedded: dict[str, Any] = {
        "contacts": [{"id": CONTACTS[c], "is_main": main} for c, main in contacts],
        "companies": [{"id": COMPANIES[company]}] if company else [],
        "catalog_elements": list(elements),
    }
    return {
        "id": lid,
        "name": name,
        "price": price,
        "pipeline_id": pipeline_id(pipeline),
        "status_id": status_id(pipeline, stage),
        "responsible_user_id": USERS[owner],
        "created_by": USERS["Евгений Агеев"],
        "created_at": T0 + (lid - MANUAL_LEAD_ID) * 86_400,
        "custom_fields_values": fields,
        "tags": list(tags),
        "_embedded": embedded,
        **extra,
    }


def _leads() -> list[dict[str, Any]]:
    every = _every_type_values()
    by_id = {value["field_id"]: value for value in every}

    def pick(*names: str) -> list[dict[str, Any]]:
        return [by_id[FIELD[name]] for name in names]

    return [
        _lead(
            MANUAL_LEAD_ID,
            "Поставка оборудования для Арктик Вест-Сервисес",
            "Воронка",
            "Переговоры",
            "Евгений Агеев",
            100,
            [("Виктор Соколов", True), ("Анна Кузнецова", False)],
            "Арктик Вест-Сервисес",
            every,
            [
                _product(1_300_001, 2),
                _product(1_300_002, 1, WHOLESALE_PRICE_FIELD),
                _in_catalog("Мои юр. лица", 1_300_101),
                _in_catalog("Счета/покупки", 1_300_201),
            ],
            ["VIP", "Опт"],
        ),
        _lead(
            24_002_812,
            "Техподдержка: сбой резервного копирования",
            "Support",
            "Новое обращение",
            "Иванов Иван Иванович",
            0,
            [("Павел Морозов", True)],
            "ООО «Ромашка»",
            [
                _cf("Срочно", True),
                _cf("Услуги", "Техподдержка"),
                _cf("Спецификация", "Не проходит ночной бэкап."),
            ],
            tags=["Поддержка"],
        ),
        _lead(
            24_002_813,
            "Яндекс: активация услуги для ТехноСтрой",
            "Яндекс",
            "Активация услуги",
            "Дмитрий Артемьевич",
            171_750,
            [("Ольга Лебедева", True)],
            "АО «ТехноСтрой»",
            [
                _cf("Плательщик", "ФЛ"),
                _cf("Назначение платежа", "Так надо было 22"),
                _cf("ТЕЛЕМОСТ", "https://telemost.yandex.ru/161852181"),
                _cf("Ссылка для присоединения", 1_726_790_400),
                _cf("Город", "Москва"),
                _cf("Категория", "Программное обеспечение"),
            ],
        ),
        _lead(
            24_002_814,
            "Монтаж серверной — Арктик",
            "Выполнение",
            "В работе",
            "Артем Иванович",
            45_000,
            [("Виктор Соколов", True)],
            "Арктик Вест-Сервисес",
            [
                *pick("Адрес"),
                _cf("Спецификация", "Монтаж стойки 42U, 2 сервера"),
                _cf("Дата отгрузки", 1_738_800_000),
                _cf("Срочно", False),
            ],
            [_product(1_300_004, 3)],
        ),
        _lead(
            24_002_815,
            "Партнёрская заявка: кабельные работы",
            "Партнёры",
            "Новая заявка",
            "Дмитрий Игоревич Бичесловский",
            0,
            [],
            None,
            [
                _cf("Спецификация", "Прокладка СКС, 40 портов"),
                _cf("Услуги", "Монтаж", "Доставка"),
                *pick("Регион/Город"),
            ],
        ),
        _lead(
            24_002_816,
            "Отгрузка ИБП для ИП Белов",
            "Логистика",
            "Готово к поставке",
            "Виктор",
            394_000,
            [("Марина Волкова", True)],
            "ИП Белов А. В.",
            [
                _cf("Трек-номер LiveInform", "LI-2025-000311"),
                _cf("Статус LiveInform", "Создан"),
                _cf("Короткий адрес", "Пермь, ул. Сибирская, 10"),
                _cf("Яндекс.Карта", "https://yandex.ru/maps/-/CDdkZ4Lg"),
            ],
            [_product(1_300_002, 2), _product(1_300_005, 4)],
        ),
        _lead(
            24_002_817,
            "Продление подписки ТехноСтрой",
            "Повторные продажи",
            "Подписка начата",
            "Людмила Артемьевна",
            60_000,
            [("Ольга Лебедева", True)],
            "АО «ТехноСтрой»",
            [
                _cf("Дата и время встречи", 1_741_000_000),
                _cf("Сумма предоплаты", 30000),
            ],
            [_product(1_300_006, 1), _in_catalog("Счета/покупки", 1_300_203)],
        ),
        _lead(
            24_002_818,
            "Коммутаторы для Ромашки",
            "Воронка",
            "Успешно реализовано",
            "Иванов Иван Иванович",
            240_000,
            [("Павел Морозов", True)],
            "ООО «Ромашка»",
            [_cf("Цена", 240000)],
            [_product(1_300_003, 2), _in_catalog("Счета/покупки", 1_300_202)],
        ),
        _lead(
            24_002_819,
            "Консультация по виртуализации",
            "Воронка",
            "Закрыто и не реализовано",
            "Сергей Кузнецов",
            15_000,
            [("Игорь Новиков", True)],
            None,
            [_cf("Город", "Новосибирск")],
            loss_reason_id=LOSS_REASONS["Дорого"],
        ),
        _lead(
            24_002_820,
            "Оплаченный счёт: Арктик Вест-Сервисес",
            "Воронка",
            "Оплачен счёт",
            "Евгений Агеев",
            905_000,
            [("Виктор Соколов", False), ("Анна Кузнецова", True)],
            "Арктик Вест-Сервисес",
            pick(
                "Вид ID (AvisSIGN)",
                "Дата рождения",
                "Телефон менеджера",
                "ИНН",
                "Сумма предоплаты",
                "Цена",
                "Срочно",
                "Договор",
                "Юр. лицо",
                "utm_source",
            ),
            [
                _product(1_300_001, 2),
                _in_catalog("Счета/покупки", 1_300_201),
                _in_catalog("Мои юр. лица", 1_300_102),
            ],
            ["VIP"],
        ),
    ]


def _notes() -> list[dict[str, Any]]:
    return [
        {
            "entity_id": MANUAL_LEAD_ID,
            "note_type": "common",
            "params": {"text": "Клиент запросил КП на 2 сервера и ИБП."},
        },
        {
            "entity_id": MANUAL_LEAD_ID,
            "note_type": "service_message",
            "params": {"service": "Копия сделки", "text": "Создана копия: сделка #24002820"},
        },
        {"entity_id": 24_002_820, "note_type": "common", "params": {"text": "Счёт №184 оплачен полностью."}},
    ]


def demo_payload() -> dict[str, Any]:
    payload = _structure()
    payload.update(_catalogs())
    payload.update(_people())
    payload["leads"] = _leads()
    payload["notes"] = _notes()
    return payload


def create_demo_account(
    state: EmulatorState,
    account_id: int | None = None,
    subdomain: str = DEMO_SUBDOMAIN,
    name: str = DEMO_NAME,
) -> Account:
    with state.lock:
        if account_id is None and DEMO_ACCOUNT_ID not in state.accounts:
            account_id = DEMO_ACCOUNT_ID  # a second demo account gets a fresh id
        account = new_account(state, subdomain, account_id, name)
        apply_seed(account, demo_payload(), state.clock.now_int())
        return account


DEMO_IDS: dict[str, Any] = {
    "account_id": DEMO_ACCOUNT_ID,
    "subdomain": DEMO_SUBDOMAIN,
    "pipelines": {
        name: {
            "id": pid,
            "statuses": {s: status_id(name, s) for s in ["Неразобранное", *stages]} | {"won": 142, "lost": 143},
        }
        for name, (pid, stages) in PIPELINES.items()
    },
    "users": USERS,
    "groups": GROUPS,
    "roles": ROLES,
    "loss_reasons": LOSS_REASONS,
    "lead_fields": FIELD,
    "lead_fields_by_type": {ftype: fid for _, (fid, ftype, _) in sorted(LEAD_FIELDS.items(), key=lambda kv: -kv[1][0])},
    "catalogs": CATALOGS,
    "catalog_fields": CATALOG_FIELDS,
    "companies": COMPANIES,
    "contacts": CONTACTS,
    "leads": LEAD_IDS,
    "manual_lead_id": MANUAL_LEAD_ID,
}
