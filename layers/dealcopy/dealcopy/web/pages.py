"""Short bilingual HTML pages an admin sees after the OAuth redirect, and the one mapper to them.

The JSON routes answer failures through `web/errors.py`; the install redirect is a page a
person reads, so its failures map here: `install_failure_page(err)` (one table, like the
JSON one) and `catalog_page(status, key)` for the fixed pages, words from the catalog.
"""

from __future__ import annotations

from html import escape

from aws_lambda_powertools.event_handler.api_gateway import Response

from dealcopy.errors import DomainError
from dealcopy.messages import text

_PAGE = """<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><title>{title_ru}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font:16px/1.5 -apple-system,Segoe UI,Roboto,Arial,sans-serif;max-width:36rem;margin:4rem auto;
padding:0 1rem;color:#313942}}h1{{font-size:1.4rem}}.en{{color:#6b7785;border-top:1px solid #e3e6ea;
margin-top:2rem;padding-top:1rem}}</style></head>
<body><main><h1>{title_ru}</h1><p>{text_ru}</p>
<section class="en" lang="en"><h1>{title_en}</h1><p>{text_en}</p></section></main></body></html>"""

# Failure class (dotted name, matched along the MRO) -> (status, catalog key of the page's title).
_PAGE_RULES: dict[str, tuple[int, str]] = {
    "dealcopy.install.InstallRejected": (400, "page-install-failed-title"),
    "dealcopy.amo.errors.AmoUnavailable": (503, "page-amocrm-unavailable-title"),
}
_PAGE_TEXT = {"page-amocrm-unavailable-title": "page-amocrm-unavailable"}


def html_page(status: int, title_ru: str, text_ru: str, title_en: str, text_en: str) -> Response:
    body = _PAGE.format(
        title_ru=escape(title_ru), text_ru=escape(text_ru), title_en=escape(title_en), text_en=escape(text_en)
    )
    return Response(status_code=status, content_type="text/html; charset=utf-8", body=body)


def catalog_page(status: int, key: str, **data: object) -> Response:
    """A page whose title is catalog entry `key`-title and text `key`."""
    title = f"{key}-title"
    return html_page(status, text(title, "ru"), text(key, "ru", **data), text(title, "en"), text(key, "en", **data))


def install_failure_page(err: BaseException) -> Response | None:
    """The page for a failed install, or None when `err` is not an expected failure (re-raise it)."""
    for cls in type(err).__mro__:
        found = _PAGE_RULES.get(f"{cls.__module__}.{cls.__qualname__}")
        if found is not None:
            status, title = found
            ru, en = _words(err, _PAGE_TEXT.get(title))
            return html_page(status, text(title, "ru"), ru, text(title, "en"), en)
    return None


def _words(err: BaseException, key: str | None) -> tuple[str, str]:
    if key is None and isinstance(err, DomainError):
        return err.message("ru"), err.message("en")
    key = key or "unknown-error"
    return text(key, "ru"), text(key, "en")
