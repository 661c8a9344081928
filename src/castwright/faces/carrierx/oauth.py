"""/core/v2/oauth: issue scoped tokens, revoke them, and say who a token is."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from castwright.carrierx.identity import CarrierXPrincipal
from castwright.carrierx.tokens import issue_partner_token, issue_token, revoke_token, whoami
from castwright.errors import Invalid
from castwright.faces.carrierx.auth import carrierx_principal
from castwright.faces.carrierx.bodies import media_type_of, read_json
from castwright.faces.carrierx.errors import PREFIX
from castwright.faces.carrierx.objects import token_object
from castwright.faces.deps import get_runtime
from castwright.runtime import Runtime

__all__ = ["router"]

router = APIRouter(prefix=PREFIX + "/oauth", tags=["CarrierX OAuth"])


async def _form(request: Request, runtime: Runtime) -> dict[str, Any]:
    """Form-encoded (the Ruby gem) or JSON; a repeated ``scope`` field makes a list."""
    if media_type_of(request) in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.form()
        values: dict[str, Any] = {}
        for key, value in form.multi_items():
            if not isinstance(value, str):
                raise Invalid("must be a plain form field", field=key)
            if key == "scope" and key in values:
                values[key] = (
                    [*values[key], value] if isinstance(values[key], list) else [values[key], value]
                )
            else:
                values[key] = value
        return values
    body = await read_json(request, runtime.settings.max_body_bytes)
    if not isinstance(body, dict):
        raise Invalid("the body must be a JSON object or a form", field=None)
    return body


@router.post("/token", summary="Issue a token (the credentials travel in the body)")
async def create_token(request: Request, runtime: Runtime = Depends(get_runtime)) -> JSONResponse:
    form = await _form(request, runtime)

    def issue() -> dict[str, Any]:
        with runtime.unit_of_work() as session:
            return token_object(
                issue_token(session, form, runtime.settings.carrierx.token_ttl_seconds)
            )

    return JSONResponse(await run_in_threadpool(issue))


@router.post("/token/{partner_sid}", summary="Issue a token for a partner the caller manages")
async def create_partner_token(
    request: Request,
    partner_sid: str,
    principal: CarrierXPrincipal = Depends(carrierx_principal),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    form = await _form(request, runtime)
    ttl = runtime.settings.carrierx.token_ttl_seconds

    def issue() -> dict[str, Any]:
        with runtime.unit_of_work() as session:
            return token_object(issue_partner_token(session, principal, partner_sid, form, ttl))

    return JSONResponse(await run_in_threadpool(issue))


@router.post("/revoke", summary="Revoke a token", status_code=204)
async def revoke(
    request: Request,
    principal: CarrierXPrincipal = Depends(carrierx_principal),
    runtime: Runtime = Depends(get_runtime),
) -> Response:
    form = await _form(request, runtime)
    token = form.get("token")
    secret = token if isinstance(token, str) else principal.token_secret or ""

    def run() -> None:
        with runtime.unit_of_work() as session:
            revoke_token(session, principal, secret)

    await run_in_threadpool(run)
    return Response(status_code=204)


@router.get("/whoami", summary="The presenting token")
def who_am_i(
    principal: CarrierXPrincipal = Depends(carrierx_principal),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    with runtime.db.session() as session:
        return JSONResponse(token_object(whoami(session, principal)))
