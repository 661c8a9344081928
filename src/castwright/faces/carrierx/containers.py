"""/core/v2/storage/containers: create, list, get, update (PATCH and PUT), delete."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from sqlalchemy.orm import Session

from castwright.carrierx.containers import ContainerService
from castwright.carrierx.identity import (
    STORAGE_CREATE,
    STORAGE_DELETE,
    STORAGE_READ,
    STORAGE_UPDATE,
    CarrierXPrincipal,
)
from castwright.carrierx.listing import read_list_request
from castwright.faces.carrierx.auth import requires
from castwright.faces.carrierx.bodies import read_json
from castwright.faces.carrierx.envelope import list_response, object_response
from castwright.faces.carrierx.errors import PREFIX
from castwright.faces.carrierx.objects import container_object
from castwright.faces.deps import get_runtime
from castwright.runtime import Runtime

__all__ = ["router"]

router = APIRouter(prefix=PREFIX + "/storage/containers", tags=["CarrierX storage"])


def _service(runtime: Runtime, session: Session, principal: CarrierXPrincipal) -> ContainerService:
    return ContainerService(runtime, session, principal.org_id, principal.key_id)


@router.post("", summary="Create a container")
async def create_container(
    request: Request,
    principal: CarrierXPrincipal = Depends(requires(*STORAGE_CREATE)),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    body = await read_json(request, runtime.settings.max_body_bytes)

    def create() -> dict[str, object]:
        with runtime.unit_of_work() as session:
            return container_object(_service(runtime, session, principal).create(body))

    return object_response(request, await run_in_threadpool(create))


@router.get("", summary="List containers")
def list_containers(
    request: Request,
    principal: CarrierXPrincipal = Depends(requires(*STORAGE_READ)),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    wanted = read_list_request(request.query_params)
    with runtime.db.session() as session:
        page = _service(runtime, session, principal).list(wanted)
        return list_response(request, page, container_object, "container_sid")


@router.get("/{container_sid}", summary="Get a container")
def get_container(
    request: Request,
    container_sid: str,
    principal: CarrierXPrincipal = Depends(requires(*STORAGE_READ)),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    with runtime.db.session() as session:
        row = _service(runtime, session, principal).get(container_sid)
        return object_response(request, container_object(row))


async def _update(
    request: Request, container_sid: str, principal: CarrierXPrincipal, runtime: Runtime
) -> JSONResponse:
    body = await read_json(request, runtime.settings.max_body_bytes)
    replace = request.method == "PUT"

    def update() -> dict[str, object]:
        with runtime.unit_of_work() as session:
            service = _service(runtime, session, principal)
            return container_object(service.update(container_sid, body, replace))

    return object_response(request, await run_in_threadpool(update))


@router.patch("/{container_sid}", summary="Update a container's given fields")
async def patch_container(
    request: Request,
    container_sid: str,
    principal: CarrierXPrincipal = Depends(requires(*STORAGE_UPDATE)),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    return await _update(request, container_sid, principal, runtime)


@router.put("/{container_sid}", summary="Replace a container's writable fields")
async def put_container(
    request: Request,
    container_sid: str,
    principal: CarrierXPrincipal = Depends(requires(*STORAGE_UPDATE)),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    return await _update(request, container_sid, principal, runtime)


@router.delete("/{container_sid}", summary="Delete an empty container", status_code=204)
def delete_container(
    container_sid: str,
    principal: CarrierXPrincipal = Depends(requires(*STORAGE_DELETE)),
    runtime: Runtime = Depends(get_runtime),
) -> Response:
    with runtime.unit_of_work() as session:
        _service(runtime, session, principal).delete(container_sid)
    return Response(status_code=204)
