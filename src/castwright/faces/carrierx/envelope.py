"""CarrierX's list envelope and field filtering (include_fields / exclude_fields)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import JSONResponse

from castwright.carrierx.listing import Page

__all__ = ["list_response", "object_response", "select_fields"]

T = TypeVar("T")


def _names(params: Mapping[str, str], *spellings: str) -> set[str] | None:
    for spelling in spellings:
        raw = params.get(spelling)
        if raw is not None:
            return {name.strip() for name in raw.split(",") if name.strip()}
    return None


def select_fields(obj: dict[str, Any], params: Mapping[str, str]) -> dict[str, Any]:
    """Unknown names are ignored; include applies first, then exclude."""
    include = _names(params, "include_fields", "includeFields")
    exclude = _names(params, "exclude_fields", "excludeFields")
    if include is not None:
        obj = {k: v for k, v in obj.items() if k in include}
    if exclude:
        obj = {k: v for k, v in obj.items() if k not in exclude}
    return obj


def object_response(request: Request, obj: dict[str, Any], status_code: int = 200) -> JSONResponse:
    return JSONResponse(select_fields(obj, request.query_params), status_code=status_code)


def _page_url(request: Request, **changes: str | None) -> str:
    params = [(k, v) for k, v in request.query_params.multi_items() if k not in changes]
    params += [(k, v) for k, v in changes.items() if v is not None]
    return str(request.url.replace(query=urlencode(params)))


def list_response(
    request: Request, page: Page[T], render: Callable[[T], dict[str, Any]], sid_field: str
) -> JSONResponse:
    """``count, has_more, items, limit, offset, pagination, total``; ``pagination`` holds
    absolute ``next``/``previous`` URLs keeping every other query parameter."""
    items = [select_fields(render(item), request.query_params) for item in page.items]
    pagination: dict[str, str] = {}
    cursor = "after" in request.query_params or "before" in request.query_params
    if page.has_more:
        if cursor and page.items:
            last = render(page.items[-1])[sid_field]
            pagination["next"] = _page_url(request, after=last, before=None, offset=None)
        else:
            pagination["next"] = _page_url(request, offset=str(page.offset + len(page.items)))
    if page.offset > 0:
        if cursor and page.items:
            first = render(page.items[0])[sid_field]
            pagination["previous"] = _page_url(request, before=first, after=None, offset=None)
        elif not cursor:
            previous = max(0, page.offset - page.limit)
            pagination["previous"] = _page_url(request, offset=str(previous))
    body = {
        "count": len(page.items),
        "has_more": page.has_more,
        "items": items,
        "limit": page.limit,
        "offset": page.offset,
        "pagination": pagination,
        "total": page.total,
    }
    return JSONResponse(body)
