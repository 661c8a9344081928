"""A minimal keep-alive JSON client on http.client: cheap enough not to blur the latencies."""

from __future__ import annotations

import http.client
import json
from dataclasses import dataclass
from types import TracebackType
from typing import Any

__all__ = ["Client", "Response"]


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def data(self) -> Any:
        """The AudioStack envelope's ``data``."""
        return self.json()["data"]


class Client:
    def __init__(self, port: int, api_key: str = "", timeout: float = 60.0) -> None:
        self._port = port
        self._timeout = timeout
        self._headers = {"x-api-key": api_key} if api_key else {}
        self._connection: http.client.HTTPConnection | None = None

    def _connect(self) -> http.client.HTTPConnection:
        if self._connection is None:
            self._connection = http.client.HTTPConnection(
                "127.0.0.1", self._port, timeout=self._timeout
            )
        return self._connection

    def request(self, method: str, path: str, body: Any = None) -> Response:
        headers = dict(self._headers)
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["content-type"] = "application/json"
        for attempt in (1, 2):  # a keep-alive connection the server closed: reconnect once
            connection = self._connect()
            try:
                connection.request(method, path, body=payload, headers=headers)
                reply = connection.getresponse()
                return Response(reply.status, reply.read())
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def post(self, path: str, body: Any) -> Response:
        return self.request("POST", path, body)

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
