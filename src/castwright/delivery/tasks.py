"""The encode job: master to the loudness target, convert, encode once, measure the result."""

from __future__ import annotations

from sqlalchemy.orm import Session

from castwright.audio.decode import decode
from castwright.audio.encode import encode
from castwright.db.base import utcnow
from castwright.delivery.service import ENCODE_JOB, EncodeRequest, resolve_settings
from castwright.dsp import integrated_loudness, loudness_range, normalise_loudness, true_peak
from castwright.files.service import FileService
from castwright.jobs.registry import job_handler
from castwright.models.production import Encoding, JobState, Production
from castwright.runtime import Runtime

__all__ = ["encode_production"]


def _mark_failed(runtime: Runtime, session: Session, encoding_id: str, reason: str) -> None:
    encoding = session.get(Encoding, encoding_id)
    if encoding is not None:
        encoding.status, encoding.error = JobState.FAILED, reason
        encoding.finished_at = utcnow()


@job_handler(ENCODE_JOB, on_failure=_mark_failed)
def encode_production(runtime: Runtime, session: Session, encoding_id: str) -> None:
    encoding = session.get(Encoding, encoding_id)
    if encoding is None or encoding.status == JobState.COMPLETED:
        return
    production = session.get(Production, encoding.production_id)
    if production is None or not production.files:
        raise RuntimeError("the production has no mix to encode")
    settings, target = resolve_settings(EncodeRequest(**encoding.request))
    mix = production.files[0]
    with runtime.blobs.local_copy(mix["blobKey"]) as path:
        audio = decode(path)
    if target is not None:
        audio = normalise_loudness(audio, target.lufs, target.true_peak_dbtp)
    data = encode(audio, settings)
    extension = settings.format
    blob_key = f"orgs/{encoding.org_id}/encodings/{encoding.id}.{extension}"
    runtime.blobs.put_bytes(blob_key, data)
    # Measured on the delivered file itself, decoded: what the listener will get.
    with runtime.blobs.local_copy(blob_key) as path:
        delivered = decode(path)
    file = FileService(runtime, session, encoding.org_id).register_generated(
        f"encodings/{production.id}",
        f"{production.script_name}-{encoding.id[:8]}.{extension}",
        blob_key,
        size=len(data),
        duration=delivered.duration,
        sample_rate=delivered.sample_rate,
        channels=delivered.channels,
        fmt=extension,
        category="mix",
        owner_kind="encoding",
        owner_id=encoding.id,
    )
    encoding.blob_key, encoding.file_id = blob_key, file.id
    encoding.duration = round(delivered.duration, 3)
    encoding.loudness = {
        "integrated": round(integrated_loudness(delivered), 2),
        "truePeak": round(true_peak(delivered), 2),
        "range": round(loudness_range(delivered), 2),
    }
    encoding.status, encoding.finished_at = JobState.COMPLETED, utcnow()
