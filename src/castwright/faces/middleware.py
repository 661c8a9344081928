"""Cross-face HTTP plumbing: request ids, one log line per request, slashes, body limits."""

from __future__ import annotations

import logging
import re
import time
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["RequestContext"]

log = logging.getLogger("castwright.http")
_SECRET_QUERY = re.compile(r"(api_token|sig)=[^&]*")


class RequestContext:
    """Pure ASGI (no per-request task overhead): ids, trace echo, access log, size limit."""

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

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
        if declared is not None and declared.isdigit() and int(declared) > self.max_body_bytes:
            await _too_large(send, self.max_body_bytes)
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
            query = _SECRET_QUERY.sub(r"\1=***", scope.get("query_string", b"").decode("latin-1"))
            log.info(
                "%s %s%s %d %.1fms",
                scope["method"],
                scope["path"],
                f"?{query}" if query else "",
                status,
                (time.perf_counter() - started) * 1000,
            )


async def _too_large(send: Send, limit: int) -> None:
    body = (
        f'{{"message": "Request body too large", "errors": ["body: larger than {limit} bytes"]}}'
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
