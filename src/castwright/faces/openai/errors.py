"""OpenAI's error body, {"error": {"message", "type", "param", "code"}}, for the /v1 routes."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse

from castwright.errors import CastwrightError, Invalid, RateLimited

__all__ = ["PREFIX", "openai_error_response"]

PREFIX = "/v1"

# OpenAI answers bad values with 400 (not 422) and unknown keys with 401 (not 403).
_STATUS = {422: 400, 403: 401}
_TYPES = {401: "invalid_request_error", 429: "rate_limit_error"}
_CODES = {
    "invalid": "invalid_value",
    "bad_request": None,
    "forbidden": "invalid_api_key",
    "unauthorized": "invalid_api_key",
    "rate_limited": "rate_limit_exceeded",
}


def openai_error_response(request: Request, error: CastwrightError) -> JSONResponse:
    status = _STATUS.get(error.status, error.status)
    kind = _TYPES.get(status, "server_error" if status >= 500 else "invalid_request_error")
    param = error.field if isinstance(error, Invalid) else None
    message = error.message
    if len(error.errors) > 1 or (error.errors and error.errors[0] != message and not param):
        message = f"{message}: {'; '.join(error.errors)}"
    body = {
        "error": {
            "message": message,
            "type": kind,
            "param": param,
            "code": _CODES.get(error.code, error.code),
        }
    }
    headers = {"Retry-After": str(error.retry_after)} if isinstance(error, RateLimited) else None
    return JSONResponse(body, status_code=status, headers=headers)
