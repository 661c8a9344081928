"""Cross-face HTTP plumbing: request ids, one log line per request, slashes, body limits."""

from __future__ import annotations

import json
import logging
import time
import uuid
from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["RequestContext"]

log = logging.getLogger("castwright.http")
_SECRET_PARAMS = frozenset({"api_token", "sig"})


def _loggable_query(raw: bytes) -> str:
    """The query with secrets masked, judged by the decoded name (api%5Ftoken is api_token)."""
    pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True)
    return urlencode([(k, "***" if k in _SECRET_PARAMS else v) for k, v in pairs], safe="*")


class RequestContext:
    """Pure ASGI (no per-request task overhead): ids, trace echo, access log, size limit."""

    def __init__(
        self, app: ASGIApp, max_body_bytes: int, unbounded_prefixes: tuple[str, ...] = ()
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
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
            limit = self.max_body_bytes
            error = f"body: larger than {limit} bytes"
            await _reject(send, request_id, 413, "Request body too large", error)
            return
        if "\x00" in path or b"%00" in scope.get("query_string", b""):
            # No id, name or filter holds a NUL, and PostgreSQL cannot even compare one.
            error = "path or query: contains a NUL character"
            await _reject(send, request_id, 400, "Request URL is invalid", error)
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

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            query = _loggable_query(scope.get("query_string", b""))
            log.info(
                "%s %s%s %d %.1fms",
                scope["method"],
                scope["path"],
                f"?{query}" if query else "",
                status,
                (time.perf_counter() - started) * 1000,
            )


async def _reject(send: Send, request_id: str, status: int, message: str, error: str) -> None:
    """An error answered before routing, in the AudioStack error shape."""
    body = json.dumps({"message": message, "errors": [error]}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"x-request-id", request_id.encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
