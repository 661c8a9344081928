"""Script routes: /content/script[s], versions, projects and modules."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from castwright.auth.service import Principal
from castwright.errors import Invalid
from castwright.faces.audiostack.envelope import envelope
from castwright.faces.audiostack.serializers import script_object
from castwright.faces.audiostack.wire import WireModel, parse_bool
from castwright.faces.deps import authenticate, get_runtime
from castwright.runtime import Runtime
from castwright.scripts.preview import preview_script
from castwright.scripts.service import ScriptFields, ScriptService, markup_warnings

__all__ = ["router"]

router = APIRouter(tags=["Script"])


class ScriptCreate(WireModel):
    scriptText: str = ""
    projectName: str | None = None
    moduleName: str | None = None
    scriptName: str | None = None
    metadata: dict[str, Any] | None = None

    def fields(self) -> ScriptFields:
        return ScriptFields(self.projectName, self.moduleName, self.scriptName, self.metadata)


class ScriptUpdate(ScriptCreate):
    scriptId: str = ""
    version: str | None = None


@router.post("/content/script", summary="Create a Script resource")
def create_script(
    body: ScriptCreate,
    request: Request,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    with runtime.unit_of_work() as session:
        script, version = ScriptService(session, principal.org_id).create(
            body.scriptText, body.fields()
        )
        data = script_object(script, version)
    return envelope(request, data, "Script created", warnings=markup_warnings(version.text))


@router.put("/content/script", summary="Updates a Script resource")
def update_script(
    body: ScriptUpdate,
    request: Request,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    if not body.scriptId:
        raise Invalid("is required", field="scriptId")
    with runtime.unit_of_work() as session:
        script, version = ScriptService(session, principal.org_id).update(
            body.scriptId, body.scriptText, body.version, body.fields()
        )
        data = script_object(script, version)
    return envelope(request, data, "Script updated", warnings=markup_warnings(version.text))


@router.get("/content/scripts", summary="Lists multiple script resources")
def list_scripts(
    request: Request,
    projectName: str | None = None,
    moduleName: str | None = None,
    scriptName: str | None = None,
    scriptId: str | None = None,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    filters = {
        "projectName": projectName,
        "moduleName": moduleName,
        "scriptName": scriptName,
        "scriptId": scriptId,
    }
    with runtime.db.session() as session:
        scripts = ScriptService(session, principal.org_id).find(
            {k: v for k, v in filters.items() if v}
        )
        data = {"scripts": [script_object(s, s.latest) for s in scripts]}
    return envelope(request, data, f"{len(data['scripts'])} scripts")


@router.get("/content/script/{scriptId}", summary="Get a single script")
@router.get("/content/script/{scriptId}/{version}", summary="Get a single version of a script")
def get_script(
    request: Request,
    scriptId: str,
    version: str | None = None,
    preview: str | None = None,
    voice: str | None = None,
    voiceIntelligence: str | None = None,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    warnings: list[str] = []
    with runtime.db.session() as session:
        script, found = ScriptService(session, principal.org_id).get(scriptId, version)
        data = script_object(script, found)
        if parse_bool(preview, False, "preview"):
            shown = preview_script(
                runtime,
                session,
                principal.org_id,
                found.text,
                voice,
                parse_bool(voiceIntelligence, False, "voiceIntelligence"),
            )
            for section in data["sections"]:
                section["preview"] = shown.sections.get(section["name"], "")
            data["preview"], data["previewVoice"] = shown.text, shown.voice
            warnings = shown.warnings
    return envelope(request, data, "Script retrieved", warnings=warnings)


@router.delete("/content/script/{scriptId}", summary="Deletes a script")
@router.delete(
    "/content/script/{scriptId}/{version}", summary="Deletes a single version of a script"
)
def delete_script(
    request: Request,
    scriptId: str,
    version: str | None = None,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    with runtime.unit_of_work() as session:
        ScriptService(session, principal.org_id).delete(scriptId, version)
    return envelope(request, {}, "Script deleted")


@router.get("/content/list_projects", summary="Lists all projects (or a project's modules)")
@router.get("/content/list_modules", summary="Lists the modules of a project")
def list_projects(
    request: Request,
    projectName: str | None = Query(default=None),
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    with runtime.db.session() as session:
        service = ScriptService(session, principal.org_id)
        if projectName:
            data: dict[str, Any] = {
                "projectName": projectName,
                "modules": service.module_names(projectName),
            }
        else:
            data = {"projects": service.project_names()}
    return envelope(request, data, "OK")
