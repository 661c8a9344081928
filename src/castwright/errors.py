"""One error tree for the whole core. Each face renders these in its own wire shape."""

from __future__ import annotations

__all__ = [
    "BadRequest",
    "CastwrightError",
    "Conflict",
    "Forbidden",
    "Invalid",
    "NotFound",
    "QuotaExceeded",
    "RateLimited",
    "ServiceUnavailable",
    "Unauthorized",
]


class CastwrightError(Exception):
    """Base class. ``status`` is the HTTP status a face should use by default."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, errors: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors if errors is not None else [message]


class BadRequest(CastwrightError):
    """The request itself cannot be read: malformed JSON, query syntax, parameters."""

    status = 400
    code = "bad_request"


class Invalid(CastwrightError):
    """Well-formed but invalid input. ``field`` names the offending field."""

    status = 422
    code = "invalid"

    def __init__(
        self, message: str, *, field: str | None = None, errors: list[str] | None = None
    ) -> None:
        self.field = field
        if errors is None:
            errors = [f"{field}: {message}" if field else message]
        super().__init__(message if field is None else f"{field}: {message}", errors=errors)


class NotFound(CastwrightError):
    status = 404
    code = "not_found"


class Conflict(CastwrightError):
    status = 409
    code = "conflict"


class Unauthorized(CastwrightError):
    status = 401
    code = "unauthorized"


class Forbidden(CastwrightError):
    status = 403
    code = "forbidden"


class QuotaExceeded(CastwrightError):
    status = 413
    code = "quota_exceeded"


class RateLimited(CastwrightError):
    status = 429
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int = 1) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ServiceUnavailable(CastwrightError):
    """Something this server needs is not installed or not reachable; the message says what."""

    status = 503
    code = "unavailable"
