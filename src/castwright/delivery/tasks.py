"""The encode job: convert, master to the loudness target, encode, and check the decoded file."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy.orm import Session

from castwright.audio import AudioBuffer
from castwright.audio.decode import decode
from castwright.audio.encode import conform, encode
from castwright.audio.presets import EncoderSettings, LoudnessTarget
from castwright.db.base import utcnow
from castwright.delivery.service import ENCODE_JOB, EncodeRequest, resolve_settings
from castwright.dsp import measure_loudness, normalise_loudness
from castwright.files.service import FileService
from castwright.jobs.registry import job_handler
from castwright.models.production import Encoding, JobState, Production
from castwright.runtime import Runtime

__all__ = ["Delivered", "encode_production"]


# The delivered file is judged decoded, and made again while it misses its target: further
# than this from the loudness (the promise is 0.5 LU), or over the true-peak ceiling at all.
_LOUDNESS_AIM_LU = 0.3
_LOSSY_HEADROOM_DB = 0.5  # a lossy codec lifts peaks: its first pass limits this far under
_PEAK_MARGIN_DB = 0.25  # and each pass after an over goes this much further than the over
_NORMALISE_TOLERANCE_LU = 0.05  # tight, so the corrections between passes act on the codec
_PASSES = 6


@dataclass(frozen=True)
class Delivered:
    """The encoded file, what it decodes to, and that decoded audio's measurements."""

    data: bytes
    audio: AudioBuffer
    loudness: float  # integrated, LUFS
    true_peak: float  # dBTP
    range: float  # loudness range, LU


def _delivered(data: bytes) -> Delivered:
    audio = decode(data)
    report = measure_loudness(audio)
    return Delivered(data, audio, report.integrated_lufs, report.true_peak_dbtp, report.range_lu)


def _meets(loudness: float, peak: float, target: LoudnessTarget, ceiling: float) -> bool:
    return abs(target.lufs - loudness) <= _LOUDNESS_AIM_LU and peak <= ceiling


def _encode_to_target(
    audio: AudioBuffer,
    settings: EncoderSettings,
    target: LoudnessTarget | None,
    source_level: tuple[float, float] | None = None,
) -> Delivered:
    """The encoded file and what it decodes to, meeting ``target`` as decoded.

    The loudness is set on the programme at the output's own channels and rate (a mono
    downmix measures 3 LU under its stereo source), and checked on the decoded file: a lossy
    codec's filtering and quantisation move the loudness and lift peaks past a limited
    ceiling (by over a decibel at MP3's lowest rates). While the file misses, the aim and the
    limiter's ceiling are corrected by what was measured and the programme is encoded again;
    the closest pass that holds the ceiling is kept.

    ``source_level`` (integrated LUFS, true peak dBTP) is what the mix job measured on its
    master. A master already on target and under the codec's headroom is encoded as it is:
    normalising it again would only spend a meter and a limiter pass to change nothing. The
    decoded file is checked all the same, and corrected like any other when it misses.
    """
    # A downmix changes the loudness (mono reads 3 LU under its stereo source).
    same_channels = settings.channels == audio.channels
    audio = conform(audio, settings)
    if target is None:
        return _delivered(encode(audio, settings))
    lufs = target.lufs
    ceiling = target.true_peak_dbtp - (0.0 if settings.lossless else _LOSSY_HEADROOM_DB)
    as_it_is = same_channels and source_level is not None and _meets(*source_level, target, ceiling)
    best: tuple[tuple[bool, float], Delivered] | None = None
    for _ in range(_PASSES):
        programme = (
            audio
            if as_it_is
            else normalise_loudness(audio, lufs, ceiling, tolerance_lu=_NORMALISE_TOLERANCE_LU)
        )
        as_it_is = False
        delivered = _delivered(encode(programme, settings))
        if not math.isfinite(delivered.loudness):
            return delivered  # silence: no loudness to set
        miss = target.lufs - delivered.loudness
        over = delivered.true_peak - target.true_peak_dbtp
        score = (over > 0, abs(miss))  # the ceiling first, then the loudness
        if best is None or score < best[0]:
            best = (score, delivered)
        if over <= 0 and abs(miss) <= _LOUDNESS_AIM_LU:
            break
        if over > 0:
            ceiling -= over + _PEAK_MARGIN_DB
        lufs += miss
    assert best is not None
    return best[1]


def _mastered_level(production: Production) -> tuple[float, float] | None:
    """The mix's own loudness and true peak, as the mix job measured them, if it did."""
    level = production.loudness or {}
    loudness, peak = level.get("integrated"), level.get("truePeak")
    if isinstance(loudness, int | float) and isinstance(peak, int | float):
        return float(loudness), float(peak)
    return None


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
    # Measured on the delivered file itself, decoded: what the listener will get.
    result = _encode_to_target(audio, settings, target, _mastered_level(production))
    data, delivered = result.data, result.audio
    extension = settings.format
    blob_key = f"orgs/{encoding.org_id}/encodings/{encoding.id}.{extension}"
    runtime.blobs.put_bytes(blob_key, data)
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
        "integrated": round(result.loudness, 2),
        "truePeak": round(result.true_peak, 2),
        "range": round(result.range, 2),
    }
    encoding.status, encoding.finished_at = JobState.COMPLETED, utcnow()
