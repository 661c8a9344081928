"""CarrierX text-to-speech: the TTS Text object, checked in full before any byte is sent,
spoken through the shared streaming core, as a stream or as a File in a container.

Defaults (contract 5.2): voice ``man``, the voice's first language, mp3 at 16 kbit/s, mono
16 kHz. A text is read as SSML only when it starts with ``<speak``; any other ``<`` is text.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from castwright.carrierx.fields import FieldSpec, coerce_value, require_object
from castwright.carrierx.files import Content, StorageFileService
from castwright.carrierx.repository import FileRow
from castwright.carrierx.schema import BITRATES
from castwright.carrierx.transcode import encodable_rate
from castwright.carrierx.voices import TtsVoice, resolve_voice, tts_voices
from castwright.errors import Invalid
from castwright.runtime import Runtime
from castwright.speech.streaming import SpeechStream, StreamRequest, open_speech_stream

__all__ = [
    "TTS_FORMATS",
    "ResponseMode",
    "TtsText",
    "open_tts_stream",
    "read_response_mode",
    "read_tts_text",
    "store_tts_file",
    "voices_of",
]

TTS_FORMATS = ("mp3", "wav", "ogg", "flac")
TTS_SAMPLE_RATE = 16_000  # telephony: what a call plays
# mp3: the documented sample holds 3,789 bytes for 1.83 s (16 kbit/s); ogg: Vorbis's lowest
# comfortable rate for speech at 16 kHz.
_DEFAULT_KBPS = {"mp3": 16, "ogg": 32}
_LOSSY = ("mp3", "ogg")
_FIELDS = {
    "text": FieldSpec("str", max_length=10**9),
    "voice_sid": FieldSpec("str", max_length=200),
    "language": FieldSpec("str", max_length=64),
    "format": FieldSpec("str", max_length=16),
    "bitrate": FieldSpec("int"),
}


@dataclass(frozen=True)
class TtsText:
    text: str
    voice_sid: str
    language: str
    format: str
    bitrate: int | None  # kbit/s for mp3 and ogg; None for the lossless formats
    alias: str  # the catalogue voice that speaks it
    sample_rate: int = 16_000

    def file_name(self) -> str:
        """``<sha256>.<ext>`` of the effective request, as the documented sample names it."""
        canonical = json.dumps(
            {
                "bitrate": self.bitrate,
                "format": self.format,
                "language": self.language,
                "text": self.text,
                "voice_sid": self.voice_sid,
            },
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
        )
        return f"{hashlib.sha256(canonical.encode()).hexdigest()}.{self.format}"


@dataclass(frozen=True)
class ResponseMode:
    file: bool
    container_sid: str | None


def voices_of(runtime: Runtime) -> list[TtsVoice]:
    return tts_voices(runtime.voices, runtime.settings.carrierx.voice_aliases)


def read_response_mode(params: Mapping[str, str]) -> ResponseMode:
    """File mode exactly when response_format=file and a container is given; file without a
    container is the stream (documented), as is a container without file."""
    fmt = (params.get("response_format") or "audio").strip()
    if fmt not in ("audio", "file"):
        raise Invalid("must be audio or file", field="response_format")
    container = (params.get("response_container_sid") or "").strip() or None
    return ResponseMode(fmt == "file" and container is not None, container)


def read_tts_text(body: Any, runtime: Runtime) -> TtsText:
    values: dict[str, Any] = {}
    for name, raw in require_object(body).items():
        spec = _FIELDS.get(str(name))
        if spec is None:
            raise Invalid("unknown field", field=str(name)[:100])
        values[name] = None if raw is None else coerce_value(name, raw, spec)
    text = values.get("text")
    if text is None or not text.strip():
        raise Invalid("required", field="text")
    if len(text) > runtime.settings.carrierx.tts_max_chars:
        raise Invalid("too long", field="text")
    voice, language, alias = resolve_voice(
        voices_of(runtime), values.get("voice_sid"), values.get("language")
    )
    fmt = (values.get("format") or "mp3").lower()
    if fmt not in TTS_FORMATS:
        raise Invalid("not supported", field="format")
    bitrate = values.get("bitrate")
    if bitrate is not None and bitrate not in BITRATES:
        raise Invalid("not supported", field="bitrate")
    if fmt not in _LOSSY:
        return TtsText(text, voice.voice_sid, language, fmt, None, alias, TTS_SAMPLE_RATE)
    bitrate = bitrate or _DEFAULT_KBPS[fmt]
    # 16 kHz unless the bit rate needs another rate (MP3 above 160 kbit/s is MPEG-1); a rate
    # the codec cannot give at all (Vorbis mono above 224 kbit/s) is refused, not clamped.
    rate = encodable_rate(fmt, bitrate, TTS_SAMPLE_RATE)
    if rate is None:
        raise Invalid("not supported", field="bitrate")
    return TtsText(text, voice.voice_sid, language, fmt, bitrate, alias, rate)


def open_tts_stream(
    runtime: Runtime, org_id: str, key_id: str | None, tts: TtsText
) -> SpeechStream:
    """Validates in the core too (422 before any byte) and takes a synthesis slot (429)."""
    request = StreamRequest(
        text=tts.text,
        voice=tts.alias,
        org_id=org_id,
        format=tts.format,
        bitrate=tts.bitrate,
        sample_rate=tts.sample_rate,
        language=tts.language,
        markup=tts.text.lstrip().lower().startswith("<speak"),
    )
    return open_speech_stream(runtime, request, key_id=key_id, field_names={"voice": "voice_sid"})


def store_tts_file(
    runtime: Runtime,
    org_id: str,
    key_id: str,
    tts: TtsText,
    container_sid: str,
    scratch: Path,
) -> FileRow:
    """Speak the text into a File of the container (file mode). The container is checked
    before synthesis so a wrong SID costs nothing; quotas are checked on the real size."""
    with runtime.db.session() as session:
        StorageFileService(runtime, session, org_id, key_id).check_container(
            container_sid, "response_container_sid"
        )
    name = tts.file_name()
    target = scratch / "speech"
    stream = open_tts_stream(runtime, org_id, key_id, tts)
    _write(iter(stream), target)
    body = {"container_sid": container_sid, "name": name, "file_access_name": name}
    with runtime.unit_of_work() as session:
        service = StorageFileService(runtime, session, org_id, key_id)
        return service.upload(
            body,
            Content(target, name),
            default_type="audio",
            container_field="response_container_sid",
        )


def _write(chunks: Iterator[bytes], target: Path) -> None:
    with target.open("wb") as handle:
        for chunk in chunks:
            handle.write(chunk)
