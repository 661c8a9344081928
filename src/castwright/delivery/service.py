"""Encode rules: a preset or custom settings, a loudness target, one finished production."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from castwright.audio.presets import (
    EncoderSettings,
    LoudnessTarget,
    custom_encoder,
    custom_loudness,
    encoder_preset,
    loudness_preset,
)
from castwright.errors import Conflict, Invalid, NotFound
from castwright.jobs.submit import submit_job
from castwright.models.production import Encoding, JobState
from castwright.production.repository import ProductionRepository
from castwright.production.service import ProductionService
from castwright.runtime import Runtime

__all__ = ["ENCODE_JOB", "EncodeRequest", "EncodeService"]

ENCODE_JOB = "delivery.encode"


@dataclass(frozen=True)
class EncodeRequest:
    production_id: str = ""
    preset: str = ""
    public: bool = False
    custom: dict[str, Any] = field(default_factory=dict)  # custom_encoder's keywords: bit_rate...
    loudness_preset: str | None = None
    loudness_target: float | None = None
    true_peak: float | None = None
    dynamic_range: float | None = None


def resolve_settings(request: EncodeRequest) -> tuple[EncoderSettings, LoudnessTarget | None]:
    """The preset, overridden field by field by any custom values; the loudness target."""
    if not request.preset:
        raise Invalid("is required (a preset name or 'custom')", field="preset")
    if request.preset.lower() == "custom":
        settings = custom_encoder(**request.custom)
    else:
        settings = encoder_preset(request.preset)
        if request.custom:
            settings = custom_encoder(base=settings, **request.custom)
    target = loudness_preset(request.loudness_preset) if request.loudness_preset else None
    customised = (request.loudness_target, request.true_peak, request.dynamic_range)
    if any(value is not None for value in customised):
        target = custom_loudness(
            target,
            loudness_target=request.loudness_target,
            true_peak=request.true_peak,
            dynamic_range=request.dynamic_range,
        )
    return settings, target


class EncodeService:
    def __init__(self, runtime: Runtime, session: Session, org_id: str) -> None:
        self.runtime = runtime
        self.session = session
        self.org_id = org_id

    def create(self, request: EncodeRequest) -> Encoding:
        if not request.production_id:
            raise Invalid("is required", field="productionId")
        production = ProductionService(self.runtime, self.session, self.org_id).get(
            request.production_id
        )
        if production.validate_only:
            raise Invalid("is a validation, which has no audio to encode", field="productionId")
        if production.status == JobState.FAILED:
            raise Invalid("the production failed", field="productionId")
        if production.status != JobState.COMPLETED:
            raise Conflict(
                "The production is still being mixed; encode it once it is ready",
                errors=["productionId: production is not finished"],
            )
        settings, _ = resolve_settings(request)
        encoding = Encoding(
            org_id=self.org_id,
            production_id=production.id,
            preset=request.preset.lower(),
            public=request.public,
            request=vars(request),
            format=settings.format,
        )
        self.session.add(encoding)
        self.session.flush()
        encoding.job_id = submit_job(self.session, ENCODE_JOB, encoding.id).id
        return encoding

    def get(self, encoder_id: str) -> Encoding:
        encoding = ProductionRepository(self.session).encoding(self.org_id, encoder_id)
        if encoding is None:
            raise NotFound(
                f"Encoding {encoder_id} not found",
                errors=[f"encoderId: {encoder_id} does not exist"],
            )
        return encoding
