"""Operations routes for load balancers and Prometheus: GET /readyz and GET /metrics.

Neither needs an API key (probes and scrapers carry none) and neither reveals tenant data:
readiness says which dependency fails, metrics are counts and timings by route template and
job kind. Keep them on a private network (docs/deploy.md).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from castwright.faces.deps import get_runtime
from castwright.health import check_readiness
from castwright.metrics import render_metrics
from castwright.runtime import Runtime

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/readyz")
async def readiness(runtime: Runtime = Depends(get_runtime)) -> JSONResponse:
    """200 when every check passes, else 503; each check's status, detail and time."""
    result = await check_readiness(runtime)
    return JSONResponse(result.as_json(), status_code=200 if result.ready else 503)


@router.get("/metrics")
async def metrics(runtime: Runtime = Depends(get_runtime)) -> Response:
    body, content_type = await run_in_threadpool(render_metrics, runtime)
    return Response(body, media_type=content_type)
