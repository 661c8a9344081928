"""Predict routes: how long a text will sound in a voice (/speech/predict)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from castwright.auth.service import Principal
from castwright.faces.audiostack.envelope import envelope
from castwright.faces.audiostack.wire import WireModel
from castwright.faces.deps import authenticate, get_runtime
from castwright.predict.requests import TextPrediction, predict_text, predictable_voices
from castwright.runtime import Runtime

__all__ = ["router"]

router = APIRouter(tags=["Predict"])


class PredictRequest(WireModel):
    text: str = ""
    voice: str = ""


@router.post("/speech/predict", summary="Predict the length of a text spoken by a voice")
async def predict(
    body: PredictRequest,
    request: Request,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    def run() -> TextPrediction:
        # A voice's first prediction fits its model (a render of its calibration texts).
        with runtime.db.session() as session:
            return predict_text(runtime, session, principal.org_id, body.text, body.voice)

    found = await run_in_threadpool(run)
    data = {"length": found.seconds, "r2": found.r2, "voice": found.voice}
    return envelope(request, data, "Length predicted")


@router.get("/speech/predict/voices", summary="List the voices whose length can be predicted")
def predict_voices(
    request: Request,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    with runtime.db.session() as session:
        voices = predictable_voices(runtime, session, principal.org_id)
    return envelope(request, {"voices": voices}, f"{len(voices)} voices")
