"""Delivery routes: encode a production, poll it, list the presets."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from castwright.audio.presets import list_presets
from castwright.auth.service import Principal
from castwright.delivery.service import EncodeRequest, EncodeService
from castwright.errors import Invalid
from castwright.faces.audiostack.envelope import envelope
from castwright.faces.audiostack.production_objects import encoding_object
from castwright.faces.audiostack.wire import WireModel
from castwright.faces.deps import authenticate, get_runtime
from castwright.faces.jobs import create_then_answer
from castwright.models.production import JobState
from castwright.runtime import Runtime

__all__ = ["router"]

router = APIRouter(tags=["Delivery"])

# Wire name -> custom_encoder's keyword.
_CUSTOM = {
    "bitRateType": "bit_rate_type",
    "bitRate": "bit_rate",
    "sampleRate": "sample_rate",
    "format": "format",
    "bitDepth": "bit_depth",
    "channels": "channels",
}


class EncodeBody(WireModel):
    productionId: str = ""
    preset: str = ""
    public: bool = False
    bitRateType: str | None = None
    bitRate: int | float | str | None = None
    sampleRate: int | float | str | None = None
    format: str | None = None
    bitDepth: int | float | str | None = None
    channels: int | float | str | None = None
    loudnessPreset: str | None = None
    loudnessSettings: str | None = None
    loudnessTarget: float | None = None
    dynamicRange: float | None = None
    truePeak: float | None = None

    def request(self) -> EncodeRequest:
        custom: dict[str, Any] = {
            keyword: getattr(self, wire)
            for wire, keyword in _CUSTOM.items()
            if getattr(self, wire) is not None
        }
        return EncodeRequest(
            production_id=self.productionId,
            preset=self.preset,
            public=self.public,
            custom=custom,
            loudness_preset=self.loudnessPreset,
            loudness_target=self.loudnessTarget,
            true_peak=self.truePeak,
            dynamic_range=self.dynamicRange,
        )


def _encoding_response(
    request: Request, runtime: Runtime, org_id: str, encoder_id: str
) -> JSONResponse:
    with runtime.db.session() as session:
        encoding = EncodeService(runtime, session, org_id).get(encoder_id)
        if encoding.status == JobState.FAILED:
            raise Invalid("Encoding failed", errors=[encoding.error or "encoding failed"])
        if encoding.status != JobState.COMPLETED:
            return envelope(
                request,
                {"encoderId": encoding.id, "status": encoding.status},
                "Encoding in progress",
                status_code=202,
            )
        data = encoding_object(runtime, encoding)
    return envelope(request, data, "Encoded")


@router.post("/delivery/encoder", summary="Encode a production")
async def encode(
    body: EncodeBody,
    request: Request,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    def create() -> tuple[str, str | None]:
        with runtime.unit_of_work() as session:
            encoding = EncodeService(runtime, session, principal.org_id).create(body.request())
            return encoding.id, encoding.job_id

    def answer(encoder_id: str) -> JSONResponse:
        return _encoding_response(request, runtime, principal.org_id, encoder_id)

    return await create_then_answer(runtime, create, answer)


@router.get("/delivery/encoder/presets", summary="Encoder and loudness presets")
def presets(request: Request, principal: Principal = Depends(authenticate)) -> JSONResponse:
    return envelope(request, list_presets(), "Encoder presets")


@router.get("/delivery/encoder/{encoderId}", summary="Get an encoding")
def get_encoding(
    request: Request,
    encoderId: str,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    return _encoding_response(request, runtime, principal.org_id, encoderId)
