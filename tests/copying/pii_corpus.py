"""A labelled corpus of what managers type into deals: personal and financial data, and work data.

Positives: every kind the detector knows, in Russian, Belarusian, Kazakh, Ukrainian, German and US
formats, each put into sentences of its language. `hidden` is the part that must not reach a
partner (a keyword before it, like «Паспорт», stays). Negatives: work data that must be kept as
typed — track and order numbers, dates, model and part numbers, quantities, project links.
Regions are the account's country the text would be typed in (numbers without a country code).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Sample:
    text: str
    region: str
    hidden: tuple[str, ...] = ()  # empty: a negative, nothing may be masked
    kind: str = ""  # what the hidden value is (the detector may name it otherwise; it must hide it)


# (kind, typed, hidden): `typed` goes into the sentence, `hidden` must disappear from it («|» between several).
SECRETS: dict[str, list[tuple[str, str, str]]] = {
    "RU": [
        ("phone", "+7 909 726-01-77", "+7 909 726-01-77"),
        ("phone", "8 (909) 726-01-77", "8 (909) 726-01-77"),
        ("phone", "+7(495)123-45-67", "+7(495)123-45-67"),
        ("phone", "89097260177", "89097260177"),
        ("phone", "8-800-555-35-35", "8-800-555-35-35"),
        ("email", "ivan.petrov@example.com", "ivan.petrov@example.com"),
        ("email", "director@стройка.рф", "director@стройка.рф"),
        ("inn", "ИНН 7702456781", "7702456781"),
        ("inn", "7707083893", "7707083893"),
        ("inn", "ИНН 771234567859", "771234567859"),
        ("snils", "СНИЛС 112-233-445 95", "112-233-445 95"),
        ("snils", "11223344595", "11223344595"),
        ("ogrn", "ОГРН 1137746591234", "1137746591234"),
        ("ogrn", "1027700132195", "1027700132195"),
        ("ogrn", "ОГРНИП 304500116000157", "304500116000157"),
        ("ogrn", "ОГРНИП 318774600123452", "318774600123452"),  # remainder 12: its digit is 2
        ("kpp", "КПП 770201001", "770201001"),
        ("kpp", "ИНН/КПП 7702456781/770201001", "7702456781|770201001"),
        ("bik", "БИК 044525225", "044525225"),
        ("account", "р/с 40702810900000012345", "40702810900000012345"),
        ("account", "к/с 30101 810 4 0000 0000225", "30101 810 4 0000 0000225"),
        ("passport", "Паспорт 4510 123456", "4510 123456"),
        ("passport", "паспорт серия 45 10 № 123456", "45 10 № 123456"),
        ("passport", "4510 123456", "4510 123456"),
        ("card", "4276 3800 1234 5679", "4276 3800 1234 5679"),
        ("card", "2200700123456781", "2200700123456781"),
        ("link", "https://wa.me/79097260177", "https://wa.me/79097260177"),
        ("link", "t.me/+79097260177", "t.me/+79097260177"),
        ("link", "tel:+79097260177", "tel:+79097260177"),
        ("link", "mailto:ivan.petrov@example.com", "mailto:ivan.petrov@example.com"),
        ("link", "viber://chat?number=%2B79097260177", "viber://chat?number=%2B79097260177"),
        ("link", "https://vk.com/id123456", "https://vk.com/id123456"),
        (
            "link",
            "https://yandex.ru/maps/?ll=37.61,55.75&pt=37.61,55.75&z=17",
            "https://yandex.ru/maps/?ll=37.61,55.75&pt=37.61,55.75&z=17",
        ),
        (
            "link",
            "https://yandex.ru/maps/?text=Пермь%20Ленина%2050",
            "https://yandex.ru/maps/?text=Пермь%20Ленина%2050",
        ),
    ],
    "BY": [
        ("phone", "+375 29 123-45-67", "+375 29 123-45-67"),
        ("phone", "8 029 123-45-67", "8 029 123-45-67"),
        ("phone", "+375 (17) 222-33-44", "+375 (17) 222-33-44"),
        ("phone", "80291234567", "80291234567"),
        ("email", "a.ivanova@tut.by", "a.ivanova@tut.by"),
        ("iban", "BY86 AKBB 1010 0000 0029 6600 0000", "BY86 AKBB 1010 0000 0029 6600 0000"),
        ("iban", "BY54NBRB36009000000020000000", "BY54NBRB36009000000020000000"),
        ("passport", "паспорт MP1234567", "MP1234567"),
        ("passport", "Пашпарт KH 1234567", "KH 1234567"),
        ("inn", "УНП 190123456", "190123456"),
        ("card", "9112 3800 1234 5676", "9112 3800 1234 5676"),
        ("bik", "BIC AKBBBY2X", "AKBBBY2X"),
        ("link", "https://wa.me/375291234567", "https://wa.me/375291234567"),
        ("link", "viber://add?number=375291234567", "viber://add?number=375291234567"),
        ("link", "tel:+375291234567", "tel:+375291234567"),
    ],
    "KZ": [
        ("phone", "+7 701 123 45 67", "+7 701 123 45 67"),
        ("phone", "8 701 123 45 67", "8 701 123 45 67"),
        ("phone", "+7 (727) 250-00-00", "+7 (727) 250-00-00"),
        ("email", "aigerim@mail.kz", "aigerim@mail.kz"),
        ("iban", "KZ86125KZT5004100100", "KZ86125KZT5004100100"),
        ("iban", "KZ75 125K ZT20 6910 0100", "KZ75 125K ZT20 6910 0100"),
        ("inn", "ИИН 850101300123", "850101300123"),
        ("inn", "БИН 040340008429", "040340008429"),
        ("passport", "паспорт N12345678", "N12345678"),
        ("passport", "удостоверение личности 043123456", "043123456"),
        ("card", "4400 4312 3456 7894", "4400 4312 3456 7894"),
        ("link", "https://wa.me/77011234567", "https://wa.me/77011234567"),
        ("link", "https://2gis.kz/almaty/geo/9430047374982345", "https://2gis.kz/almaty/geo/9430047374982345"),
    ],
    "UA": [
        ("phone", "+380 50 123 4567", "+380 50 123 4567"),
        ("phone", "050 123 45 67", "050 123 45 67"),
        ("phone", "+38 (044) 123-45-67", "+38 (044) 123-45-67"),
        ("phone", "0671234567", "0671234567"),
        ("email", "oksana@ukr.net", "oksana@ukr.net"),
        ("iban", "UA213223130000026007233566001", "UA213223130000026007233566001"),
        ("iban", "UA31 3052 9900 0002 6006 3001 2345 6", "UA31 3052 9900 0002 6006 3001 2345 6"),
        ("inn", "РНОКПП 3012345678", "3012345678"),
        ("inn", "ІПН 2345678901", "2345678901"),
        ("passport", "паспорт КМ 123456", "КМ 123456"),
        ("passport", "паспорт 001234567", "001234567"),
        ("card", "5168 7573 1234 5673", "5168 7573 1234 5673"),
        ("account", "рахунок 26001234567890", "26001234567890"),
        ("link", "https://t.me/+380501234567", "https://t.me/+380501234567"),
        ("link", "viber://chat?number=380501234567", "viber://chat?number=380501234567"),
    ],
    "DE": [
        ("phone", "+49 30 1234567", "+49 30 1234567"),
        ("phone", "030 1234567", "030 1234567"),
        ("phone", "+49 (0)89 12345678", "+49 (0)89 12345678"),
        ("phone", "0171 1234567", "0171 1234567"),
        ("email", "max.mustermann@web.de", "max.mustermann@web.de"),
        ("iban", "DE89 3704 0044 0532 0130 00", "DE89 3704 0044 0532 0130 00"),
        ("iban", "DE02120300000000202051", "DE02120300000000202051"),
        ("passport", "Reisepass C01X00T47", "C01X00T47"),
        ("passport", "Personalausweis L01X00T47", "L01X00T47"),
        ("inn", "Steuer-ID 12 345 678 901", "12 345 678 901"),
        ("bik", "BIC COBADEFFXXX", "COBADEFFXXX"),
        ("bik", "SWIFT: DEUTDEFF", "DEUTDEFF"),
        ("card", "5375 4100 1234 5671", "5375 4100 1234 5671"),
        ("account", "Kontonummer 0532013000", "0532013000"),
        ("link", "https://wa.me/491711234567", "https://wa.me/491711234567"),
        ("link", "tel:+49301234567", "tel:+49301234567"),
        (
            "link",
            "https://www.google.de/maps/place/Alexanderplatz+1,+10178+Berlin",
            "https://www.google.de/maps/place/Alexanderplatz+1,+10178+Berlin",
        ),
    ],
    "US": [
        ("phone", "(212) 555-0100", "(212) 555-0100"),
        ("phone", "+1 415 555 2671", "+1 415 555 2671"),
        ("phone", "212-555-0199", "212-555-0199"),
        ("phone", "646.555.0123", "646.555.0123"),
        ("phone", "1-800-275-2273", "1-800-275-2273"),
        ("email", "john.smith@gmail.com", "john.smith@gmail.com"),
        ("snils", "SSN 123-45-6789", "123-45-6789"),
        ("inn", "EIN 12-3456789", "12-3456789"),
        ("passport", "passport 123456789", "123456789"),
        ("passport", "Passport No. A12345678", "A12345678"),
        ("account", "Account No 000123456789", "000123456789"),
        ("bik", "routing number 021000021", "021000021"),
        ("card", "4111 1111 1111 1111", "4111 1111 1111 1111"),
        ("card", "3782 822463 10005", "3782 822463 10005"),
        ("card", "5555-5555-5555-4444", "5555-5555-5555-4444"),
        ("link", "https://wa.me/14155552671", "https://wa.me/14155552671"),
        (
            "link",
            "https://www.google.com/maps/@40.7128,-74.0060,15z",
            "https://www.google.com/maps/@40.7128,-74.0060,15z",
        ),
        ("link", "https://maps.google.com/?q=40.7128,-74.0060", "https://maps.google.com/?q=40.7128,-74.0060"),
    ],
}

# Sentences of each language a value is typed into; «{}» is the value.
SENTENCES: dict[str, tuple[str, ...]] = {
    "RU": (
        "{}",
        "Клиент просил связаться: {}, после 18:00",
        "Спецификация: 2 сервера Dell R650, {}; монтаж в стойку 42U до 18.01.2025",
        "{} 18.01.2025 в 10:00",
        "Сервер R650 {}",
    ),
    "BY": ("{}", "Кантакт кліента: {} (па буднях)", "Доставка в Минск, трек LI-2025-000184, данные: {}", "{} 2 шт."),
    "KZ": ("{}", "Хабарласу үшін: {}", "Поставка в Алматы, 3 шт., реквизиты клиента: {}", "{} 12 дана"),
    "UA": ("{}", "Зателефонуйте {}, доставка Нова пошта", "Замовлення 2025-0184: {} — монтаж 2 шаф", "{} 24 шт."),
    "DE": ("{}", "Rückruf bitte unter {}, Lieferung KW 12", "Bestellung 4711, Ansprechpartner: {}", "{}, 2 Stück"),
    "US": ("{}", "Call back at {} after 5pm", "Notes: {}; ship 2 units of Model X-200 by 01/18/2025", "{} 12 units"),
}

NEGATIVES: dict[str, tuple[str, ...]] = {
    "RU": (
        "Трек-номер LI-2025-000184",
        "Трек RA123456789RU, отправлено 18.01.2025",
        "СДЭК 1234567890, доставка 3 дня",
        "Заказ №1234567 от 18.01.2025",
        "Счёт №184 от 18.01.2025 оплачен",
        "Договор поставки № 2025/184-П от 01.02.2025",
        "18.01.2025",
        "с 01.02.2025 по 28.02.2025, с 9:00 до 18:00",
        "2025-01-18T10:30:00",
        "Сервер Dell PowerEdge R650, 2 x Intel Xeon Gold 6338N",
        "ИБП APC SRT3000RMXLI — 2 шт.",
        "Коммутатор Cisco C9300-48P-E, 48 портов",
        "SSD Samsung MZ7L31T9HBLT-00A07, 4 x 1.92 TB",
        "Модуль HPE 875519-B21",
        "S/N CN0G4F5X7829, P/N 0N7TVT",
        "Кабель UTP cat.6, 10 000 м",
        "Вес 125,5 кг, габариты 600x1200x2000 мм",
        "Монтаж, настройка, обучение персонала",
        "Техподдержка 24/7, SLA 4 часа",
        "ГОСТ 31565-2012, ТУ 16.К71-310-2001",
        "ISO 9001:2015",
        "Версия прошивки 2.14.3, сборка 20250118",
        "VLAN 1024, порт 8080, IP 192.168.10.25",
        "Артикул 100234567",
        "Стойка 42U, 2 шт., 800x1000",
        "https://disk.yandex.ru/d/AbC123xyz",
        "https://telemost.yandex.ru/j/16185218123456",
        "https://onedrive.live.com/?id=01BYE5&cid=1234567890",
        "Встреча: https://telemost.yandex.ru/161852181",
        "Спецификация: https://docs.google.com/spreadsheets/d/1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms/edit",
        "Новости: https://t.me/company_news",
        "Партия 2025-01-18/04",
        "Кол-во: 250 шт., цена за шт. по прайсу",
        "Срок поставки 45 рабочих дней",
        "Тикет #20250118-0042",
        "Объект: корпус 3, этаж 12, помещение 1204",
        "Номер заявки 00184 в LiveInform",
        "Лицензии Microsoft 365 E3 — 120 мест",
        "Серия Smart-UPS, модель 3000",
        "Гарантия 36 месяцев",
        "Код в 1С: 00-00012345",
        "Телефон и e-mail — в карточке контакта",
        "Паспорт объекта и исполнительная документация",
        "Счёт-фактура будет после отгрузки",
        "Оплата 50/50, 2 этапа",
        "Заказ 4500098765 от 18.01.2025",
        "Трек 80085412345678",
        "Смета v3 от 18.01.2025, 12 позиций",
        "Адрес установки уточнить у менеджера",
        "Контакт — через менеджера проекта",
    ),
    "BY": (
        "Трек BY123456789BY, адпраўлена",
        "Замова № 2025-0184 ад 18.01.2025",
        "Паслугі: мантаж, наладка",
        "https://drive.google.com/drive/folders/1a2B3c4D5e6F7g8H9i0J",
        "Маршрутизатор MikroTik CCR2004-16G-2S+",
        "Партия 100 шт., 18.01.2025",
        "Дакумент №184/2025",
        "Работы: 3 дня, 2 инженера",
        "Склад 4, стеллаж 12",
        "Встреча https://meet.google.com/abc-defg-hij",
    ),
    "KZ": (
        "Тапсырыс № 2025-0184, 18.01.2025",
        "Жеткізу 5 жұмыс күні",
        "Трек KZ0012345678",
        "Сервер Lenovo ThinkSystem SR650 V2",
        "Саны: 12 дана",
        "Жоба файлдары: https://disk.yandex.kz/d/Xy12Ab",
        "Келісімшарт 2025/18",
        "Орнату, баптау, оқыту",
        "Накладная 0001845 от 18.01.2025",
        "Қойма 3, сөре 7",
    ),
    "UA": (
        "ТТН 20450012345678",
        "Замовлення № 1234567 від 18.01.2025",
        "Нова пошта, відділення 184",
        "Комутатор Cisco C9200L-24P-4G-E",
        "Кількість: 24 шт.",
        "Документи: https://www.dropbox.com/s/abc123/spec.pdf",
        "Послуги: монтаж, налаштування, навчання",
        "Версія 3.2.1",
        "Акт № 184 від 01.02.2025",
        "Термін 30 днів",
    ),
    "DE": (
        "Bestellnummer 4500012345",
        "Sendungsnummer 00340434161234567890",
        "Lieferschein LS-2025-000184",
        "Rechnung RE-2025-0042 vom 18.01.2025",
        "18. Januar 2025, 10:30 Uhr",
        "Artikelnummer 875519-B21",
        "Menge: 250 Stück",
        "Server Dell PowerEdge R760, 2x Xeon Silver 4410Y",
        "Projektordner: https://nextcloud.example.de/s/AbC123",
        "Besprechung: https://zoom.us/j/91234567890?pwd=abc",
        "Montage, Inbetriebnahme, Schulung",
        "Lieferung KW 12/2025",
        "DIN EN ISO 9001:2015",
        "Raum 1.204, Gebäude B",
        "Charge 20250118-04",
    ),
    "US": (
        "Order #A-100234",
        "PO 4500098765",
        "Tracking 1Z999AA10123456784",
        "FedEx tracking 771234567890",
        "Invoice INV-2025-00042 dated 01/18/2025",
        "Ship date: January 18, 2025",
        "Model X-200, qty 12",
        "Part no. 0N7TVT, S/N CN0G4F5X7829",
        "Dell PowerEdge R650 with 2x 1.92TB SSD",
        "Meeting: https://meet.google.com/abc-defg-hij",
        "Specs: https://github.com/org/repo/issues/1234",
        "Installation, configuration, training",
        "Case 00184-2025",
        "Rack unit 42U, weight 125.5 lb",
        "Firmware 2.14.3 build 20250118",
        "SKU 100234567",
        "Net 30, 2 installments",
        "Room 1204, Building 3",
        "Shipment 1 of 3, box 2",
        "Time slot 9:00-17:00 EST",
    ),
}


def positives() -> list[Sample]:
    out = []
    for region, secrets in SECRETS.items():
        for kind, typed, hidden in secrets:
            out += [
                Sample(sentence.format(typed), region, tuple(hidden.split("|")), kind) for sentence in SENTENCES[region]
            ]
    return out


def negatives() -> list[Sample]:
    return [Sample(text, region) for region, texts in NEGATIVES.items() for text in texts]


def corpus() -> list[Sample]:
    return positives() + negatives()


@dataclass(frozen=True)
class Score:
    secrets: int
    caught: int
    negatives: int
    false_positives: int
    misses: tuple[str, ...]
    wrongly_masked: tuple[str, ...]
    context_lost: tuple[str, ...]  # positives whose words around the value did not survive

    @property
    def recall(self) -> float:
        return self.caught / self.secrets

    @property
    def false_positive_rate(self) -> float:
        return self.false_positives / self.negatives


def score(lang: str = "ru") -> Score:
    """Run the real masking over the corpus: hidden values gone, negatives untouched."""
    from dealcopy.copying.pii.mask import mask

    misses, wrong, lost = [], [], []
    samples = positives()
    for sample in samples:
        masked, _ = mask(sample.text, sample.region, lang)
        shown = f"{sample.region} {sample.kind}: {sample.text!r} -> {masked!r}"
        misses += [shown for h in sample.hidden if h in masked]
        around = [part.strip(" /") for part in re.split("|".join(map(re.escape, sample.hidden)), sample.text)]
        lost += [shown for part in around if part not in masked]
    for sample in negatives():
        masked, kinds = mask(sample.text, sample.region, lang)
        if kinds:
            wrong.append(f"{sample.region}: {sample.text!r} -> {masked!r}")
    secrets = sum(len(sample.hidden) for sample in samples)
    return Score(secrets, secrets - len(misses), len(negatives()), len(wrong), tuple(misses), tuple(wrong), tuple(lost))
