"""Dependencies every face uses: the runtime, and the principal a request acts as."""

from __future__ import annotations

from fastapi import Depends, Request

from castwright.auth.service import Principal, verify_key
from castwright.runtime import Runtime

__all__ = ["api_key_from", "authenticate", "get_runtime"]


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def api_key_from(request: Request) -> str | None:
    """x-api-key, then Authorization: Bearer, then ?api_token (the LowCodeAPI form)."""
    if key := request.headers.get("x-api-key"):
        return key.strip()
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return request.query_params.get("api_token") or None


def authenticate(request: Request, runtime: Runtime = Depends(get_runtime)) -> Principal:
    with runtime.db.session() as session:
        principal = verify_key(session, api_key_from(request))
    request.state.principal = principal
    return principal
