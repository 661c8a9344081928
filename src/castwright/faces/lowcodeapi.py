"""The LowCodeAPI gateway face: /audiostack prefix, api_token, and Old Format URLs.

Every AudioStack route is mounted a second time under /audiostack. Old Format URLs (path
parameters sanitised to their lower-case names and moved to the query) are rewritten to the
New Format by one mechanism driven by the route table, in front of routing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["PREFIX", "OldFormatRewriter", "discovery_router"]

PREFIX = "/audiostack"
_PARAM = re.compile(r"^\{(\w+)(?::[^}]*)?\}$")


@dataclass(frozen=True)
class _Template:
    segments: tuple[str, ...]  # literal segments, or "{name}" for parameters

    @property
    def params(self) -> list[str]:
        return [m.group(1) for s in self.segments if (m := _PARAM.match(s))]

    def sanitized(self) -> list[str]:
        return [m.group(1).lower() if (m := _PARAM.match(s)) else s for s in self.segments]

    def rewrite(
        self, path_segments: list[str], query: list[tuple[str, str]]
    ) -> tuple[str, list[tuple[str, str]]] | None:
        """The New Format path and the remaining query, or None if this is not its Old Format."""
        if len(path_segments) != len(self.segments):
            return None
        if any(
            a.lower() != b.lower() for a, b in zip(path_segments, self.sanitized(), strict=True)
        ):
            return None
        remaining = list(query)
        values: dict[str, str] = {}
        for name in self.params:
            found = _take(remaining, name)
            if found is None:
                return None  # not every parameter given: take the path literally
            values[name] = found
        out = [values[m.group(1)] if (m := _PARAM.match(s)) else s for s in self.segments]
        return "/" + "/".join(out), remaining


def _gateway_routes(routers: Sequence[APIRouter]) -> Iterator[tuple[str, APIRoute]]:
    """Each AudioStack route with its gateway path.

    Read from the routers themselves, not from ``app.routes``: recent FastAPI releases keep
    included routers lazy, so ``app.routes`` no longer lists their routes.
    """
    for router in routers:
        for route in router.routes:
            if isinstance(route, APIRoute):
                yield PREFIX + route.path, route


def _take(query: list[tuple[str, str]], name: str) -> str | None:
    """Exact name, then any case, then 'id' (the gateway's file example uses ?id=)."""
    wanted: tuple[Callable[[str], bool], ...] = (
        lambda key: key == name,
        lambda key: key.lower() == name.lower(),
        lambda key: key == "id",
    )
    for matches in wanted:
        for index, (key, value) in enumerate(query):
            if matches(key) and value:
                del query[index]
                return value
    return None


class OldFormatRewriter:
    """ASGI middleware: rewrites /audiostack Old Format requests before routing."""

    def __init__(self, app: ASGIApp, routers: Sequence[APIRouter]) -> None:
        self.app = app
        self._routers = routers
        self._templates: list[_Template] | None = None

    def _load(self) -> list[_Template]:
        if self._templates is None:
            found = {
                tuple(path.strip("/").split("/"))
                for path, _ in _gateway_routes(self._routers)
                if "{" in path
            }
            # More parameters first, so /a/{x}/{y} is tried before /a/{x}.
            self._templates = sorted((_Template(t) for t in found), key=lambda t: -len(t.params))
        return self._templates

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(PREFIX + "/"):
            segments = scope["path"].strip("/").split("/")
            query = parse_qsl(
                scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True
            )
            for template in self._load():
                rewritten = template.rewrite(segments, query)
                if rewritten is not None:
                    path, remaining = rewritten
                    scope = {
                        **scope,
                        "path": path,
                        "raw_path": path.encode(),
                        "query_string": urlencode(remaining).encode(),
                    }
                    break
        await self.app(scope, receive, send)


def _definition(routers: Sequence[APIRouter]) -> list[dict[str, Any]]:
    entries = []
    for path, route in _gateway_routes(routers):
        template = _Template(tuple(path.strip("/").split("/")))
        old_path = "/" + "/".join(template.sanitized()[1:])
        query = [p.alias for p in route.dependant.query_params]
        body = []
        if route.body_field is not None:
            model = route.body_field.field_info.annotation
            body = list(getattr(model, "model_fields", {}))
        for method in sorted((route.methods or set()) - {"HEAD"}):
            entries.append(
                {
                    "method": method,
                    "path": old_path,
                    "category": (route.tags or ["Other"])[0],
                    "description": route.summary or "",
                    "params": {
                        "path": template.params,
                        "query": [*template.params, *query],
                        "body": body,
                    },
                }
            )
    return entries


def discovery_router(routers: Sequence[APIRouter]) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get(PREFIX + "/openapi")
    def openapi(request: Request) -> JSONResponse:
        app: FastAPI = request.app
        full = app.openapi()  # FastAPI itself resolves included routers, in every release
        document = {
            **full,
            "openapi": "3.1.0",
            "info": {"title": "Castwright AudioStack (LowCodeAPI gateway)", "version": app.version},
            "paths": {p: ops for p, ops in full["paths"].items() if p.startswith(PREFIX + "/")},
        }
        return JSONResponse(document)

    @router.get(PREFIX + "/definition")
    def definition() -> JSONResponse:
        return JSONResponse(_definition(routers))

    return router
