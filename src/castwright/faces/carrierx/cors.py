"""CORS on the CarrierX routes (documented upstream: every route allows it).

Credentials travel in the Authorization header, never in cookies, so any origin may call;
preflights are answered here, and every answer carries ``Access-Control-Allow-Origin: *``.
Only /core/v2 and the public /f/ route: the other faces keep their own policies.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from castwright.carrierx.publishing import PUBLIC_PREFIX
from castwright.faces.carrierx.errors import PREFIX

__all__ = ["CarrierXCors"]

_METHODS = b"GET, POST, PUT, PATCH, DELETE, OPTIONS"
_PREFIXES = (PREFIX + "/", PUBLIC_PREFIX + "/")
_MAX_AGE = b"600"


class CarrierXCors:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(_PREFIXES):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        if scope["method"] == "OPTIONS" and b"access-control-request-method" in headers:
            asked = headers.get(b"access-control-request-headers", b"authorization, content-type")
            await send(
                {
                    "type": "http.response.start",
                    "status": 204,
                    "headers": [
                        (b"access-control-allow-origin", b"*"),
                        (b"access-control-allow-methods", _METHODS),
                        (b"access-control-allow-headers", asked),
                        (b"access-control-max-age", _MAX_AGE),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return

        async def with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = [
                    (b"access-control-allow-origin", b"*"),
                    (b"access-control-expose-headers", b"content-disposition, x-request-id"),
                ]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, with_cors)
