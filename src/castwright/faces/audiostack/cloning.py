"""Voice cloning routes: /speech/voice-builder (JS SDK, gateway) and /speech/voice-cloning
(docs), create and list; DELETE /speech/voice/{alias} removes an organisation's own voice.

POST answers 200 with the clone (status ``preparing``); clients poll the GET, whose ``data``
is the array of clones (newest first), until ``data[0].status`` is ``succeeded``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from castwright.auth.service import Principal
from castwright.cloning.service import CloneRequest, CloneService
from castwright.faces.audiostack.envelope import envelope
from castwright.faces.audiostack.wire import WireModel
from castwright.faces.deps import authenticate, get_runtime
from castwright.models.voice_clone import VoiceClone
from castwright.runtime import Runtime

__all__ = ["router"]

router = APIRouter(tags=["Voice Cloning"])


class CloneBody(WireModel):
    alias: str | None = None
    fileIds: list[str] | None = None
    voiceEngine: str | None = None
    engine: str | None = None
    consentFileId: str | None = None
    metadata: dict[str, Any] = {}

    def request(self) -> CloneRequest:
        # Either name on either route; an error names the one the caller used.
        engine, field = (
            (self.engine, "engine")
            if self.engine and not self.voiceEngine
            else (
                self.voiceEngine,
                "voiceEngine",
            )
        )
        return CloneRequest(
            self.alias, self.fileIds, engine, field, self.consentFileId, self.metadata
        )


def _epoch(clone: VoiceClone, finished: bool) -> int | None:
    moment = clone.finished_at if finished else clone.created_at
    return int(moment.timestamp()) if moment is not None else None


def clone_object(clone: VoiceClone) -> dict[str, Any]:
    analysis = clone.analysis or {}
    reference = analysis.get("reference", {})
    achieved = analysis.get("achieved", {})
    return {
        "cloneId": clone.id,
        "jobId": clone.id,
        "alias": clone.alias,
        "voiceEngine": clone.voice_engine,
        "filesUsed": clone.file_ids,
        "discardedFiles": clone.discarded_files,
        "consentFileId": clone.consent_file_id,
        "status": clone.status,
        "startedAt": _epoch(clone, False),
        "finishedAt": _epoch(clone, True),
        "failReason": clone.fail_reason,
        "orgId": clone.org_id,
        "userId": clone.created_by,
        "providerId": f"castwright-{clone.cloner}",
        "metadata": clone.metadata_,
        "analysis": {
            "referencePitchHz": reference.get("pitch_median_hz"),
            "voicePitchHz": achieved.get("pitch_median_hz"),
            "referenceSyllablesPerSecond": reference.get("syllables_per_second"),
            "voiceSyllablesPerSecond": achieved.get("syllables_per_second"),
            "referenceSpeechSeconds": reference.get("speech_seconds"),
            "engineVoice": analysis.get("engineVoice"),
            "variant": analysis.get("variant"),
            "rate": analysis.get("rate"),
            "pitch": analysis.get("pitch"),
        }
        if analysis
        else None,
    }


@router.post("/speech/voice-builder", summary="Clones a voice from files")
@router.post("/speech/voice-cloning", summary="Clones a voice from files")
async def create_clone(
    body: CloneBody,
    request: Request,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    def create() -> dict[str, Any]:
        with runtime.unit_of_work() as session:
            service = CloneService(runtime, session, principal.org_id, principal.key_id)
            return clone_object(service.create(body.request()))

    # The samples are decoded and checked here, so every unusable one is a 4xx, not a
    # failed job: seconds of work, kept off the event loop.
    data = await run_in_threadpool(create)
    return envelope(request, data, "Voice cloning started")


@router.get("/speech/voice-builder", summary="Lists voice cloning jobs")
@router.get("/speech/voice-cloning", summary="Lists voice cloning jobs")
def list_clones(
    request: Request,
    alias: str | None = None,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    with runtime.db.session() as session:
        clones = CloneService(runtime, session, principal.org_id).clones(alias)
        data = [clone_object(c) for c in clones]
    return envelope(request, data, f"{len(data)} voice cloning jobs")


@router.delete("/speech/voice/{alias}", summary="Deletes one of the organisation's own voices")
def delete_voice(
    request: Request,
    alias: str,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    with runtime.unit_of_work() as session:
        CloneService(runtime, session, principal.org_id).delete_voice(alias)
    return envelope(request, {}, "Voice deleted")
