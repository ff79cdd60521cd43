"""``/api/v4/leads/pipelines`` (statuses embedded) and loss reasons."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.responses import Response

from . import serialize as ser
from .gateway import ApiContext
from .problems import hal, no_content, not_found
from .state import Pipeline


def _embedded_list(ctx: ApiContext, key: str, items: list[Any], render: Callable[[Any], dict[str, Any]]) -> Response:
    """These lists are not paged in amoCRM: every item at once, with its total."""
    return hal(
        {
            "_total_items": len(items),
            "_links": {"self": {"href": str(ctx.request.url)}},
            "_embedded": {key: [render(item) for item in items]},
        }
    )


def _pipeline(ctx: ApiContext) -> Pipeline | None:
    return ctx.account.pipelines.get(ctx.path_int("id"))


def list_pipelines(ctx: ApiContext) -> Response:
    pipelines = sorted(ctx.account.pipelines.values(), key=lambda p: (p.sort, p.id))
    if not pipelines:
        return no_content()
    return _embedded_list(ctx, "pipelines", pipelines, lambda p: ser.pipeline_to_api(ctx.account, p, ctx.base))


def get_pipeline(ctx: ApiContext) -> Response:
    # A missing pipeline is a 404 "Pipeline not found" (seen in amocrm-api-php issue #92).
    pipeline = _pipeline(ctx)
    if pipeline is None:
        return not_found("Pipeline not found")
    return hal(ser.pipeline_to_api(ctx.account, pipeline, ctx.base))


def list_statuses(ctx: ApiContext) -> Response:
    pipeline = _pipeline(ctx)
    if pipeline is None:
        return not_found("Pipeline not found")
    statuses = sorted(pipeline.statuses, key=lambda s: s.sort)
    return _embedded_list(ctx, "statuses", statuses, lambda s: ser.status_to_api(ctx.account, s, ctx.base))


def get_status(ctx: ApiContext) -> Response:
    pipeline = _pipeline(ctx)
    if pipeline is None:
        return not_found("Pipeline not found")
    status = pipeline.status(ctx.path_int("status_id"))
    if status is None:
        return not_found("Status not found")
    return hal(ser.status_to_api(ctx.account, status, ctx.base))


def list_loss_reasons(ctx: ApiContext) -> Response:
    reasons = sorted(ctx.account.loss_reasons.values(), key=lambda r: r.sort)
    if not reasons:
        return no_content()
    items = [
        {
            "id": r.id,
            "name": r.name,
            "sort": r.sort,
            "created_at": r.created_at,
            "updated_at": r.created_at,
            "_links": ser.self_link(ctx.base, f"/leads/loss_reasons/{r.id}"),
        }
        for r in reasons
    ]
    return hal(
        {
            "_total_items": len(items),
            "_links": {"self": {"href": str(ctx.request.url)}},
            "_embedded": {"loss_reasons": items},
        }
    )


ROUTES = [
    ("/api/v4/leads/pipelines", ["GET"], list_pipelines),
    ("/api/v4/leads/pipelines/{id:int}", ["GET"], get_pipeline),
    ("/api/v4/leads/pipelines/{id:int}/statuses", ["GET"], list_statuses),
    ("/api/v4/leads/pipelines/{id:int}/statuses/{status_id:int}", ["GET"], get_status),
    ("/api/v4/leads/loss_reasons", ["GET"], list_loss_reasons),
]
