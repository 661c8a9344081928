"""CarrierX's error body, for every /core/v2 route:
``{"message": ..., "errors": [{"field", "message", "reference_sid"}]}``.

The core's errors carry their details as "field: message" strings; they are split back into
CarrierX's objects here. 422 always reads "object validation error"; other statuses carry
their status text, except an unknown SID ("Cannot find item by SID").
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

from castwright.carrierx.errors import ItemNotFound
from castwright.errors import CastwrightError, RateLimited

__all__ = ["PREFIX", "carrierx_error_response", "error_objects"]

PREFIX = "/core/v2"

_MESSAGES = {
    400: "Bad Request",
    401: "Bad credentials",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Payload Too Large",
    415: "Unsupported Media Type",
    416: "Range Not Satisfiable",
    422: "object validation error",
    429: "Too Many Requests",
    500: "Internal Server Error",
}
_FIELD = re.compile(r"^([A-Za-z_][\w.\-\[\]]{0,99}): (.+)$", re.DOTALL)
# The core's wording of a body that is not JSON, and CarrierX's.
_NOT_JSON = "No JSON object could be decoded"


def error_objects(error: CastwrightError) -> list[dict[str, Any]]:
    if error.status in (401,):
        return []  # "Bad credentials" says it all; nothing about the key is echoed
    reference = getattr(error, "reference_sid", None)
    field = getattr(error, "field", None)
    objects = []
    for text in error.errors:
        match = _FIELD.match(text)
        if match:
            objects.append({"field": match[1], "message": match[2], "reference_sid": reference})
        else:
            objects.append({"field": field, "message": text, "reference_sid": reference})
    return objects


def carrierx_error_response(request: Request, error: CastwrightError) -> JSONResponse:
    status = error.status
    message = _MESSAGES.get(status) or error.message
    if isinstance(error, ItemNotFound):
        message = error.message
    elif status == 400 and error.errors == ["body: not valid JSON"]:
        message = _NOT_JSON
    body = {"errors": error_objects(error), "message": message}
    headers = {"Retry-After": str(error.retry_after)} if isinstance(error, RateLimited) else None
    return JSONResponse(body, status_code=status, headers=headers)
