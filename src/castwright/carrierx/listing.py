"""List requests of the CarrierX face: paging, cursors, ``order`` and ``filter``, read once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from castwright.carrierx.filters import Condition, parse_filter
from castwright.errors import BadRequest

__all__ = ["DEFAULT_LIMIT", "MAX_LIMIT", "ListRequest", "Page", "read_list_request"]

MAX_LIMIT = 1000
DEFAULT_LIMIT = 1000  # the documented sample answers an unlimited request with limit 1000
_MAX_OFFSET = 10**9

T = TypeVar("T")


@dataclass(frozen=True)
class ListRequest:
    conditions: list[Condition] = field(default_factory=list)
    order_text: str = ""
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    after: str | None = None  # cursor: items after the one with this SID, in the order
    before: str | None = None


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.items) < self.total


def _integer(params: Mapping[str, str], name: str, default: int) -> int:
    raw = (params.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"Invalid {name}", errors=[f"{name}: must be an integer"]) from None
    if value < 0 or value > _MAX_OFFSET:
        raise BadRequest(f"Invalid {name}", errors=[f"{name}: must be between 0 and {_MAX_OFFSET}"])
    return value


def read_list_request(params: Mapping[str, str]) -> ListRequest:
    """Paging rules: limit 0 or absent is the default, above 1000 it is 1000; an offset and a
    cursor cannot be combined."""
    limit = _integer(params, "limit", 0) or DEFAULT_LIMIT
    offset = _integer(params, "offset", 0)
    after = (params.get("after") or "").strip() or None
    before = (params.get("before") or "").strip() or None
    if (after or before) and offset:
        raise BadRequest(
            "Invalid paging", errors=["offset: cannot be combined with after or before"]
        )
    if after and before:
        raise BadRequest("Invalid paging", errors=["after: cannot be combined with before"])
    return ListRequest(
        conditions=parse_filter(params.get("filter") or ""),
        order_text=params.get("order") or "",
        limit=min(limit, MAX_LIMIT),
        offset=offset,
        after=after,
        before=before,
    )
