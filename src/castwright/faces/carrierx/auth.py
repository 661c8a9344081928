"""The /core/v2 credentials check: Bearer (OAuth token or API key) or Basic, then scopes."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Depends, Request

from castwright.carrierx.identity import CarrierXPrincipal, require_scope
from castwright.carrierx.tokens import authenticate
from castwright.faces.deps import get_runtime
from castwright.runtime import Runtime

__all__ = ["carrierx_principal", "requires"]


def carrierx_principal(
    request: Request, runtime: Runtime = Depends(get_runtime)
) -> CarrierXPrincipal:
    client = request.client.host if request.client else None
    with runtime.db.session() as session:
        return authenticate(session, request.headers.get("authorization", ""), client)


def requires(*scopes: str) -> Callable[..., CarrierXPrincipal]:
    """A dependency: the request's principal, holding at least one of ``scopes`` (else 403)."""

    def dependency(
        principal: CarrierXPrincipal = Depends(carrierx_principal),
    ) -> CarrierXPrincipal:
        require_scope(principal, scopes)
        return principal

    return dependency
