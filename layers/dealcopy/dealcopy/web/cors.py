"""CORS for amoCRM account pages: origins given as patterns such as `https://*.amocrm.ru`.

Powertools' CORSConfig only matches exact origins; every account has its own
subdomain, so we match patterns instead (a `*` stands for one or more DNS labels).
"""

from __future__ import annotations

import re

from aws_lambda_powertools.event_handler.api_gateway import CORSConfig

_LABELS = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*"


def compile_origin_patterns(patterns: list[str]) -> re.Pattern[str]:
    parts = [re.escape(p.strip().rstrip("/").lower()).replace(r"\*", _LABELS) for p in patterns if p.strip()]
    return re.compile(rf"^(?:{'|'.join(parts) or '(?!)'})$")


class PatternCORSConfig(CORSConfig):
    """CORSConfig whose allowed origins are patterns; unknown origins get no CORS headers."""

    def __init__(self, patterns: list[str], **kwargs) -> None:
        super().__init__(allow_origin=patterns[0] if patterns else "null", **kwargs)
        self._pattern = compile_origin_patterns(patterns)

    def matches(self, origin: str | None) -> bool:
        return bool(origin) and bool(self._pattern.match(origin.lower()))

    def allowed_origin(self, extracted_origin: str) -> str | None:
        return extracted_origin if self.matches(extracted_origin) else None

    def to_dict(self, origin: str | None) -> dict[str, str]:
        if not self.matches(origin):
            return {}
        headers = {
            "Access-Control-Allow-Origin": origin,
            "Access-Control-Allow-Headers": ",".join(sorted(self.allow_headers)),
            "Vary": "Origin",
        }
        if self.max_age is not None:
            headers["Access-Control-Max-Age"] = str(self.max_age)
        if self.expose_headers:
            headers["Access-Control-Expose-Headers"] = ",".join(self.expose_headers)
        return headers
