"""Production routes: mixes (and the gateway's /mixing aliases), presets, sound templates."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from castwright.auth.service import Principal
from castwright.errors import Invalid
from castwright.faces.audiostack.envelope import envelope
from castwright.faces.audiostack.production_objects import production_object, template_object
from castwright.faces.audiostack.wire import WireModel
from castwright.faces.deps import authenticate, get_runtime
from castwright.faces.jobs import create_then_answer
from castwright.models.production import JobState
from castwright.production.mastering import PRESETS
from castwright.production.service import MixRequest, ProductionService
from castwright.production.templates import LABEL_KINDS, TemplateService
from castwright.runtime import Runtime

__all__ = ["router"]

router = APIRouter(tags=["Production"])


class MixBody(WireModel):
    speechId: str | None = None
    scriptId: str | None = None
    soundTemplate: str | None = None
    soundLayer: str = "default"
    sections: dict[str, Any] = {}
    mediaFiles: dict[str, Any] = {}
    fxFiles: dict[str, Any] = {}
    sectionProperties: dict[str, Any] = {}
    timelineProperties: dict[str, Any] = {}
    masteringPreset: str | None = None
    exportSettings: dict[str, Any] = {}
    strictValidation: bool = True
    public: bool = False

    def request(self) -> MixRequest:
        return MixRequest(
            speech_id=self.speechId,
            script_id=self.scriptId,
            sound_template=self.soundTemplate,
            sound_layer=self.soundLayer,
            sections=self.sections,
            media_files=self.mediaFiles,
            fx_files=self.fxFiles,
            section_properties=self.sectionProperties,
            timeline_properties=self.timelineProperties,
            mastering_preset=self.masteringPreset,
            export_settings=self.exportSettings,
            strict_validation=self.strictValidation,
            public=self.public,
        )


class TemplateBody(WireModel):
    templateName: str = ""
    description: str = ""
    isElastic: bool = False


class SegmentBody(WireModel):
    templateName: str = ""
    segmentName: str = ""
    fileId: str | None = None
    mediaId: str | None = None


def _production_response(
    request: Request, runtime: Runtime, org_id: str, production_id: str, alias: bool = False
) -> JSONResponse:
    with runtime.db.session() as session:
        production = ProductionService(runtime, session, org_id).get(production_id)
        if production.status == JobState.FAILED:
            raise Invalid("Mix failed", errors=[production.error or "mixing failed"])
        if production.status != JobState.COMPLETED:
            data: dict[str, Any] = {"productionId": production.id, "status": production.status}
            if alias:
                data["mixId"] = production.id
            return envelope(request, data, "Mix in progress", status_code=202)
        data = production_object(runtime, production)
    if alias:
        data["mixId"] = production.id
    return envelope(request, data, "Mix created", warnings=data.get("warnings"))


async def _create(
    request: Request, body: MixBody, principal: Principal, runtime: Runtime, alias: bool
) -> JSONResponse:
    def create() -> tuple[str, str | None]:
        with runtime.unit_of_work() as session:
            production = ProductionService(runtime, session, principal.org_id).create(
                body.request()
            )
            return production.id, production.job_id

    def answer(production_id: str) -> JSONResponse:
        return _production_response(request, runtime, principal.org_id, production_id, alias)

    return await create_then_answer(runtime, create, answer)


@router.post("/production/mix", summary="Create a mix (production)")
async def create_mix(
    body: MixBody,
    request: Request,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    return await _create(request, body, principal, runtime, alias=False)


@router.post("/mixing/produce", summary="Produce an audio mix")
async def produce_mix(
    body: MixBody,
    request: Request,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    return await _create(request, body, principal, runtime, alias=True)


@router.post("/production/validate", summary="Validate a mix request without rendering")
def validate_mix(
    body: MixBody,
    request: Request,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    with runtime.unit_of_work() as session:
        production = ProductionService(runtime, session, principal.org_id).validate(body.request())
        data = production_object(runtime, production)
    return envelope(request, data, "Mix validated", warnings=data.get("warnings"))


@router.get("/production/mix/presets", summary="Mastering presets")
def mix_presets(request: Request, principal: Principal = Depends(authenticate)) -> JSONResponse:
    # The loudness each preset masters to (null: not normalised), named as the encoder's
    # loudness presets name theirs: what the Studio plots a mix against.
    presets = [
        {
            "name": p.name,
            "description": p.description,
            "loudnessTarget": p.target_lufs,
            "truePeak": p.true_peak_dbtp,
        }
        for p in PRESETS.values()
    ]
    return envelope(request, {"presets": presets}, "Mastering presets")


@router.get("/production/mixes", summary="List mixes")
def list_mixes(
    request: Request,
    projectName: str | None = None,
    moduleName: str | None = None,
    scriptName: str | None = None,
    scriptId: str | None = None,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    filters = {
        "projectName": projectName or "",
        "moduleName": moduleName or "",
        "scriptName": scriptName or "",
        "scriptId": scriptId or "",
    }
    with runtime.db.session() as session:
        found = ProductionService(runtime, session, principal.org_id).find(filters)
        items = [
            production_object(runtime, p)
            if p.status == JobState.COMPLETED
            else {"productionId": p.id, "status": p.status}
            for p in found
        ]
    return envelope(request, {"productionIds": items}, f"{len(items)} mixes")


@router.get("/production/mix/{productionId}", summary="Get a mix")
def get_mix(
    request: Request,
    productionId: str,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    return _production_response(request, runtime, principal.org_id, productionId)


@router.get("/mixing/{mixId}", summary="Get a mix")
def get_mixing(
    request: Request,
    mixId: str,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    return _production_response(request, runtime, principal.org_id, mixId, alias=True)


@router.delete("/production/mix/{productionId}", summary="Delete a mix")
def delete_mix(
    request: Request,
    productionId: str,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    with runtime.unit_of_work() as session:
        ProductionService(runtime, session, principal.org_id).delete(productionId)
    return envelope(request, {}, "Mix deleted")


# -- sound templates ----------------------------------------------------------------------


def _labels(request: Request) -> dict[str, list[str]]:
    params = request.query_params
    return {
        kind: [v.strip() for raw in params.getlist(kind) for v in raw.split(",") if v.strip()]
        for kind in LABEL_KINDS
        if params.getlist(kind)
    }


@router.get("/production/sound/template", summary="List sound templates")
def list_templates(
    request: Request,
    access_type: str | None = None,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    with runtime.db.session() as session:
        found = TemplateService(runtime, session, principal.org_id).find(
            _labels(request), access_type
        )
        data = {"templates": [template_object(runtime, t) for t in found]}
    return envelope(request, data, f"{len(data['templates'])} templates")


@router.get("/production/sound/template/alias/{alias}", summary="Get a sound template")
def get_template(
    request: Request,
    alias: str,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    with runtime.db.session() as session:
        template = TemplateService(runtime, session, principal.org_id).get(alias, "alias")
        data = template_object(runtime, template)
    return envelope(request, data, "Template")


@router.post("/production/sound/template", summary="Create a sound template")
def create_template(
    body: TemplateBody,
    request: Request,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    with runtime.unit_of_work() as session:
        template = TemplateService(runtime, session, principal.org_id).create(
            body.templateName, body.description, body.isElastic
        )
        data = {"template": template_object(runtime, template)}
    return envelope(request, data, "Template created")


@router.delete("/production/sound/template/{templateName}", summary="Delete a sound template")
def delete_template(
    request: Request,
    templateName: str,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    with runtime.unit_of_work() as session:
        TemplateService(runtime, session, principal.org_id).delete(templateName)
    return envelope(request, {}, "Template deleted")


@router.post("/production/sound/segment", summary="Add a segment to a sound template")
def add_segment(
    body: SegmentBody,
    request: Request,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    file_id = body.fileId or body.mediaId
    if not file_id:
        raise Invalid("is required", field="fileId")
    with runtime.unit_of_work() as session:
        template = TemplateService(runtime, session, principal.org_id).add_segment(
            body.templateName, body.segmentName, file_id
        )
        data = {"template": template_object(runtime, template)}
    return envelope(request, data, "Segment added")


@router.get("/production/sound/parameter", summary="Sound template parameters")
def template_parameters(
    request: Request,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    with runtime.db.session() as session:
        data = TemplateService(runtime, session, principal.org_id).parameters()
    return envelope(request, data, "Template parameters")
