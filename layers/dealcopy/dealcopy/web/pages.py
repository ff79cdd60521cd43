"""Short bilingual HTML pages an admin sees after the OAuth redirect."""

from __future__ import annotations

from html import escape

from aws_lambda_powertools.event_handler import Response

_PAGE = """<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><title>{title_ru}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font:16px/1.5 -apple-system,Segoe UI,Roboto,Arial,sans-serif;max-width:36rem;margin:4rem auto;
padding:0 1rem;color:#313942}}h1{{font-size:1.4rem}}.en{{color:#6b7785;border-top:1px solid #e3e6ea;
margin-top:2rem;padding-top:1rem}}</style></head>
<body><main><h1>{title_ru}</h1><p>{text_ru}</p>
<section class="en" lang="en"><h1>{title_en}</h1><p>{text_en}</p></section></main></body></html>"""


def html_page(status: int, title_ru: str, text_ru: str, title_en: str, text_en: str) -> Response:
    body = _PAGE.format(
        title_ru=escape(title_ru), text_ru=escape(text_ru), title_en=escape(title_en), text_en=escape(text_en)
    )
    return Response(status_code=status, content_type="text/html; charset=utf-8", body=body)
