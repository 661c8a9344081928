"""Cross-face HTTP plumbing: request ids, one log line per request, slashes, body limits."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from castwright import metrics
from castwright.errors import BadRequest, CastwrightError, QuotaExceeded
from castwright.logs import request_id_var

__all__ = ["ROUTE_KEY", "RequestContext", "RouteTemplate"]

ROUTE_KEY = "castwright.route"

ErrorRenderer = Callable[[Request, CastwrightError], Response]

log = logging.getLogger("castwright.http")
_SECRET_PARAMS = frozenset({"api_token", "sig"})


def _loggable_query(raw: bytes) -> str:
    """The query with secrets masked, judged by the decoded name (api%5Ftoken is api_token)."""
    pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True)
    return urlencode([(k, "***" if k in _SECRET_PARAMS else v) for k, v in pairs], safe="*")


class RequestContext:
    """Pure ASGI (no per-request task overhead): ids, trace echo, access log, size limit."""

    def __init__(
        self,
        app: ASGIApp,
        max_body_bytes: int,
        render_error: ErrorRenderer,
        unbounded_prefixes: tuple[str, ...] = (),
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        # Errors answered before routing still take the shape of the face the path belongs to.
        self.render_error = render_error
        # Routes that bound their own bodies (file uploads: storage.max_upload_bytes).
        self.unbounded_prefixes = unbounded_prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        request_id = headers.get(b"x-request-id", b"").decode("latin-1") or str(uuid.uuid4())
        trace_id = headers.get(b"x-customer-trace-id")
        scope.setdefault("state", {})["request_id"] = request_id
        path = scope["path"]
        if len(path) > 1 and path.endswith("/"):  # a single trailing slash is accepted anywhere
            scope = {**scope, "path": path[:-1], "raw_path": path[:-1].encode()}
        declared = headers.get(b"content-length")
        if (
            declared is not None
            and declared.isdigit()
            and int(declared) > self.max_body_bytes
            and not path.startswith(self.unbounded_prefixes)
        ):
            too_large = QuotaExceeded(
                "Request body too large",
                errors=[f"body: larger than {self.max_body_bytes} bytes"],
            )
            await self._reject(scope, receive, send, request_id, too_large)
            return
        if "\x00" in path or b"%00" in scope.get("query_string", b""):
            # No id, name or filter holds a NUL, and PostgreSQL cannot even compare one.
            nul = BadRequest(
                "Request URL is invalid", errors=["path or query: contains a NUL character"]
            )
            await self._reject(scope, receive, send, request_id, nul)
            return
        started = time.perf_counter()
        status = 500

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                extra = [(b"x-request-id", request_id.encode())]
                if trace_id:
                    extra.append((b"x-customer-trace-id", trace_id))
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        request_token = request_id_var.set(request_id)  # log lines and jobs carry it
        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            elapsed = time.perf_counter() - started
            route = scope["state"].get(ROUTE_KEY) or "unmatched"  # bounded label values
            metrics.observe_request(scope["method"], route, status, elapsed)
            query = _loggable_query(scope.get("query_string", b""))
            log.info(
                "%s %s%s %d %.1fms",
                scope["method"],
                scope["path"],
                f"?{query}" if query else "",
                status,
                elapsed * 1000,
            )
            request_id_var.reset(request_token)

    async def _reject(
        self, scope: Scope, receive: Receive, send: Send, request_id: str, error: CastwrightError
    ) -> None:
        """An error answered before routing, in the error shape of the path's face."""
        response = self.render_error(Request(scope), error)
        response.headers["x-request-id"] = request_id
        await response(scope, receive, send)


class RouteTemplate:
    """Innermost: records the matched route's template ("/speech/tts/{speechId}") where
    RequestContext, outermost, reads it for the latency metric; middleware between them may
    copy the scope, but they share its state."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.app(scope, receive, send)
        finally:
            route = scope.get("route")
            if scope["type"] == "http" and route is not None and "state" in scope:
                scope["state"][ROUTE_KEY] = getattr(route, "path", None)
