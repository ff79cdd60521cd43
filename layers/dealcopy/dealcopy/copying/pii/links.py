"""Links that reach a person or their address: messengers, calls, mail, personal profiles, maps.

A partner needs the project's links (cloud files, a meeting) and none of these. Pure functions
of the URL text; no network.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

_MAP_HOSTS = ("2gis.", "2гис.", "openstreetmap.", "osm.org", "maps.me", "wikimapia.", "here.com", "waze.com")
_MAP_HOST_PREFIXES = ("maps.", "map.", "yandex.maps", "n.maps")
_MAP_PATHS = ("/maps", "/map/")

# Schemes that open a call, a chat or a letter to someone.
_PERSONAL_SCHEMES = frozenset({"tel", "callto", "sms", "mailto", "viber", "whatsapp", "tg", "skype", "facetime"})
_WHATSAPP = frozenset({"wa.me", "api.whatsapp.com", "web.whatsapp.com", "whatsapp.com"})
_TELEGRAM = frozenset({"t.me", "telegram.me", "telegram.dog"})
_VK = frozenset({"vk.com", "m.vk.com", "vk.ru"})
_VK_PERSON = re.compile(r"^/id\d+/?$")

# A link in free text: a scheme, `www.`, or a bare host of the kinds above.
_BARE_HOSTS = (
    r"wa\.me|t\.me|telegram\.me|vk\.com|vk\.ru|api\.whatsapp\.com|(?:maps\.)?yandex\.\w+(?:\.\w+)?/maps"
    r"|maps\.(?:google|yandex)\.\w+|(?:www\.)?google\.\w+(?:\.\w+)?/maps|2gis\.\w+|goo\.gl/maps|maps\.app\.goo\.gl"
)
LINK = re.compile(
    r"(?:\b(?:https?|viber|whatsapp|tg|skype)://|\b(?:tel|callto|sms|mailto|viber|skype|facetime):|\bwww\.)"
    r"[^\s<>\"'«»]+"
    rf"|(?<![\w.@/])(?:{_BARE_HOSTS})(?:/[^\s<>\"'«»]*)?",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?)]}»\"'"


def urls(text: str) -> list[tuple[int, int, str]]:
    """(start, end, url) of every link in `text`, trailing punctuation left out."""
    out = []
    for match in LINK.finditer(text):
        url = match.group(0).rstrip(_TRAILING)
        if url.count("(") > url.count(")") and match.group(0)[len(url) : len(url) + 1] == ")":
            url += ")"  # a bracket that belongs to the link (wikipedia-style paths)
        out.append((match.start(), match.start() + len(url), url))
    return out


def is_personal_link(url: str) -> bool:
    """Whether `url` reaches a person: a messenger chat, a call, a letter, a profile by id, a place on a map."""
    text = url.strip()
    scheme = text.split(":", 1)[0].lower() if ":" in text else ""
    if scheme in _PERSONAL_SCHEMES:
        return True
    try:
        parts = urlsplit(text if "://" in text else "https://" + text)
        host = (parts.hostname or "").lower().removeprefix("www.")
    except ValueError:
        return False
    if host in _WHATSAPP:
        return host == "wa.me" or "phone" in parse_qs(parts.query) or parts.path.startswith("/send")
    if host in _TELEGRAM:
        return parts.path.startswith("/+")  # a phone number or a private invite, never a public channel
    if host in _VK:
        return bool(_VK_PERSON.match(parts.path))
    return is_map_link(text)


def is_map_link(text: str) -> bool:
    """A URL that opens a map (Яндекс.Карты, Google Maps, 2ГИС, OpenStreetMap...)."""
    try:
        parts = urlsplit(text.strip() if "://" in text else "https://" + text.strip())
    except ValueError:
        return False
    host, path = (parts.hostname or "").lower(), parts.path.lower()
    if not host or "." not in host:
        return False
    if any(h in host for h in _MAP_HOSTS) or host.startswith(_MAP_HOST_PREFIXES):
        return True
    if host == "goo.gl" and path.startswith("/maps"):
        return True
    return ("yandex." in host or "google." in host) and any(path.startswith(p) or p in path for p in _MAP_PATHS)
