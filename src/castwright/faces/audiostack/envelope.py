"""AudioStack's response envelope {message, warnings, errors, meta, data} and its error body."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

from castwright import __version__
from castwright.errors import CastwrightError, RateLimited

__all__ = ["envelope", "error_response"]


def _request_id(request: Request) -> str:
    return str(getattr(request.state, "request_id", ""))


def envelope(
    request: Request,
    data: Any,
    message: str = "OK",
    *,
    status_code: int = 200,
    warnings: list[str] | None = None,
    extra: dict[str, Any] | None = None,
) -> JSONResponse:
    body = {
        "message": message,
        "warnings": warnings or [],
        "errors": [],
        "meta": {
            "version": __version__,
            "requestId": _request_id(request),
            "creditsUsed": 0.0,
            "creditsRemaining": 0.0,
        },
        "data": data,
        **(extra or {}),
    }
    return JSONResponse(body, status_code=status_code)


def error_response(request: Request, error: CastwrightError) -> JSONResponse:
    body = {
        "message": error.message,
        "errors": error.errors,
        "warnings": [],
        "meta": {"version": __version__, "requestId": _request_id(request)},
    }
    headers = {"Retry-After": str(error.retry_after)} if isinstance(error, RateLimited) else None
    return JSONResponse(body, status_code=error.status, headers=headers)
