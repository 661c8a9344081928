"""GET /files/{fileId}/analysis: waveform peaks and loudness over time of a library file.

A Castwright extension of the SDK 4.0 file routes (bare JSON, the same error body), made for
the Studio's plots and open to any client. Computed on first request and cached with the file.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from castwright.analysis.service import AnalysisService
from castwright.auth.service import Principal
from castwright.faces.deps import authenticate, get_runtime
from castwright.runtime import Runtime

__all__ = ["router"]

router = APIRouter(tags=["Files"])


@router.get("/files/{fileId}/analysis", summary="Waveform peaks and loudness over time")
def file_analysis(
    fileId: str,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    with runtime.unit_of_work() as session:
        data = AnalysisService(runtime, session, principal.org_id).analysis(fileId)
    # The numbers of a file never change; a client may keep them as long as it likes.
    return JSONResponse(data, headers={"Cache-Control": "private, max-age=86400"})
