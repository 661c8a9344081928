"""Voice selection routes: /speech/voice/select (voices and speeds for a script) and
/speech/voice/query (the SDK's filter language)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from castwright.auth.service import Principal
from castwright.faces.audiostack.envelope import envelope
from castwright.faces.audiostack.serializers import voice_object
from castwright.faces.audiostack.wire import WireModel
from castwright.faces.deps import authenticate, get_runtime
from castwright.runtime import Runtime
from castwright.voices.organisation import organisation_voices
from castwright.voices.query import parse_filters, query
from castwright.voices.selection import Selection, select_voices

__all__ = ["router"]

router = APIRouter(tags=["Voice"])


class SelectRequest(WireModel):
    scriptId: str | None = None
    content: str | None = None
    tone: str | None = None
    gender: str | None = None
    targetLength: float | None = None
    numVoices: int | None = None
    filters: dict[str, Any] | None = None


class QueryRequest(WireModel):
    filters: list[Any] | None = None
    minimumNumberOfResults: int = 3
    forceApplyFilters: bool = True
    page: int = 1
    pageLimit: int = 1000


@router.post("/speech/voice/select", summary="Voices and speeds that fit a script")
async def select(
    body: SelectRequest,
    request: Request,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    def run() -> Selection:
        # A voice's first prediction fits its length model: run off the event loop.
        with runtime.db.session() as session:
            return select_voices(
                runtime,
                session,
                principal.org_id,
                script_id=body.scriptId,
                content=body.content,
                tone=body.tone,
                gender=body.gender,
                target_length=body.targetLength,
                num_voices=body.numVoices,
                filters=body.filters,
            )

    found = await run_in_threadpool(run)
    base = runtime.settings.effective_public_url
    voices = [
        {
            **voice_object(s.voice, base),
            "speed": s.speed,
            "predictedLength": s.seconds,
            "lengthAtNormalSpeed": s.seconds_at_normal,
            "fitsTargetLength": s.fits,
        }
        for s in found.voices
    ]
    data = {"voices": voices, "targetLength": found.target}
    return envelope(request, data, f"{len(voices)} voices selected", warnings=found.warnings)


@router.post("/speech/voice/query", summary="Query voices with filters")
def query_voices(
    body: QueryRequest,
    request: Request,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    filters = parse_filters(body.filters)
    with runtime.db.session() as session:
        catalogue = organisation_voices(runtime, session, principal.org_id)
    found = query(
        catalogue,
        filters,
        body.minimumNumberOfResults,
        body.forceApplyFilters,
        body.page,
        body.pageLimit,
    )
    base = runtime.settings.effective_public_url
    warnings = [
        f"filters: dropped {rule.describe()} to reach {body.minimumNumberOfResults} results"
        for rule in found.dropped
    ]
    data = {
        "voices": [voice_object(v, base) for v in found.voices],
        "total": found.total,
        "page": found.page,
        "pageLimit": found.page_limit,
        "appliedFilters": len(found.applied),
    }
    return envelope(request, data, f"{found.total} voices", warnings=warnings)
