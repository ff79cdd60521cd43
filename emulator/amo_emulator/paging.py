"""``page``/``limit`` handling and the HAL collection envelope amoCRM lists use."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from .problems import hal, no_content, problem
from .query import to_int


@dataclass
class Page:
    page: int
    limit: int

    def slice(self, items: list[Any]) -> tuple[list[Any], bool]:
        start = (self.page - 1) * self.limit
        chunk = items[start : start + self.limit]
        return chunk, start + self.limit < len(items)


def parse_page(query: dict[str, Any], max_limit: int = 250, default_limit: int = 50) -> Page | Response:
    limit = to_int(query.get("limit")) if "limit" in query else default_limit
    page = to_int(query.get("page")) if "page" in query else 1
    if limit is None or limit < 1:
        limit = default_limit
    if limit > max_limit:
        return problem(422, f"Limit {max_limit} per page")
    return Page(page=max(page or 1, 1), limit=limit)


def collection(
    request: Request,
    key: str,
    items: list[Any],
    serialize: Callable[[Any], dict[str, Any]],
    page: Page | None = None,
    with_totals: bool = False,
) -> Response:
    """204 for an empty page, else ``{_page, _links{self,next}, _embedded{key}}``.

    ``items`` is the whole filtered result; only the requested page is serialized.
    """
    chunk, has_more = page.slice(items) if page else (items, False)
    if not chunk:
        return no_content()
    body: dict[str, Any] = {}
    if with_totals:
        body["_total_items"] = len(items)
    if page:
        body["_page"] = page.page
        if with_totals:
            body["_page_count"] = max(1, math.ceil(len(items) / page.limit))
    links: dict[str, Any] = {"self": {"href": str(request.url)}}
    if has_more and page:
        links["next"] = {"href": str(request.url.include_query_params(page=page.page + 1, limit=page.limit))}
    body["_links"] = links
    body["_embedded"] = {key: [serialize(item) for item in chunk]}
    return hal(body)
