"""PiperEngine: Piper's neural (VITS) voices, run on onnxruntime in process.

Optional: needs onnxruntime (``pip install 'castwright[piper]'``) and at least one voice in
``<voices dir>/piper/<key>/``: ``<key>.onnx`` and its ``<key>.onnx.json``, as Piper's own
catalogue ships them (``castwright voices install piper:en_US-lessac-medium`` puts them there;
``castwright voices import`` takes files brought by hand). Nothing is ever downloaded here.

This is Piper's inference path written on onnxruntime directly rather than through the
``piper-tts`` package, which brings its own copy of espeak-ng: the phonemes come from the
espeak-ng library Castwright already has (neural_text.py), mapped through the voice's
``phoneme_id_map`` exactly as piper-phonemize does (``^`` first, ``_`` after each phoneme,
``$`` last), and the model gets Piper's inputs: ``input`` [1, N] int64, ``input_lengths``
[1], ``scales`` [noise, length, noise_w] float32, and ``sid`` [1] for multi-speaker voices.

Parameters:

* rate: divides the voice's ``length_scale``; duration scales as 1/rate.
* pitch: not supported by the models (``extra["pitch"] == "unsupported"``).
* volume: a linear gain.
* variant: a speaker name of a multi-speaker voice (``speaker_id_map``); "" is speaker 0.

Audio comes back at the voice's own rate (``audio.sample_rate``, usually 22050 Hz).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from castwright.audio import AudioBuffer
from castwright.dsp import concatenate
from castwright.errors import Invalid
from castwright.speech.engines.base import EngineUnavailable, EngineVoice, SynthesisParams
from castwright.speech.engines.festival import apply_gain
from castwright.speech.engines.neural_text import sentences
from castwright.speech.engines.onnx_models import ModelCache, onnx_session, onnxruntime_version

if TYPE_CHECKING:
    from castwright.config import Settings

__all__ = ["PIPER_SPEAKERS", "PiperEngine", "PiperVoiceConfig", "read_piper_config"]

_MAPPING_REVISION = 1
INSTALL_HINT = "castwright voices install piper:en_US-lessac-medium"

# Speakers of Piper's English voices: gender and accent (the catalogue does not say).
PIPER_SPEAKERS: dict[str, tuple[str, str]] = {
    "lessac": ("female", "american"),
    "amy": ("female", "american"),
    "kristin": ("female", "american"),
    "kathleen": ("female", "american"),
    "hfc_female": ("female", "american"),
    "ljspeech": ("female", "american"),
    "ryan": ("male", "american"),
    "joe": ("male", "american"),
    "john": ("male", "american"),
    "bryce": ("male", "american"),
    "danny": ("male", "american"),
    "norman": ("male", "american"),
    "kusal": ("male", "american"),
    "hfc_male": ("male", "american"),
    "alan": ("male", "british"),
    "alba": ("female", "scottish"),
    "jenny_dioco": ("female", "british"),
    "cori": ("female", "british"),
    "southern_english_female": ("female", "british"),
    "northern_english_male": ("male", "northern english"),
    "aru": ("neutral", "british"),
    "semaine": ("neutral", "british"),
    "vctk": ("neutral", "british"),
}
_ACCENTS = {"US": "american", "GB": "british", "AU": "australian", "IN": "indian"}


@dataclass(frozen=True)
class PiperVoiceConfig:
    """What synthesis needs from ``<key>.onnx.json``."""

    model: Path
    sample_rate: int
    espeak_voice: str
    phoneme_id_map: dict[str, list[int]]
    phoneme_map: dict[str, list[str]]
    noise_scale: float
    length_scale: float
    noise_w: float
    speakers: dict[str, int]
    raw: dict[str, Any]


def read_piper_config(model: Path) -> PiperVoiceConfig:
    """The config next to ``model``; ValueError when it is missing or not a Piper config."""
    path = model.with_name(model.name + ".json")
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        inference = raw.get("inference", {})
        return PiperVoiceConfig(
            model=model,
            sample_rate=int(raw["audio"]["sample_rate"]),
            espeak_voice=str(raw.get("espeak", {}).get("voice", "en-us")),
            phoneme_id_map={k: [int(i) for i in v] for k, v in raw["phoneme_id_map"].items()},
            phoneme_map={k: list(v) for k, v in raw.get("phoneme_map", {}).items()},
            noise_scale=float(inference.get("noise_scale", 0.667)),
            length_scale=float(inference.get("length_scale", 1.0)),
            noise_w=float(inference.get("noise_w", 0.8)),
            speakers={str(k): int(v) for k, v in raw.get("speaker_id_map", {}).items()},
            raw=raw,
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"{path} is not a readable Piper voice config: {exc}") from exc


def _describe(key: str, config: PiperVoiceConfig, engine_name: str) -> EngineVoice:
    language = config.raw.get("language", {})
    code = str(language.get("code") or key.split("-")[0]).replace("_", "-")
    parts = key.split("-")
    speaker = str(config.raw.get("dataset") or (parts[1] if len(parts) > 2 else key))
    gender, accent = PIPER_SPEAKERS.get(speaker, ("neutral", ""))
    region = code.split("-")[1] if "-" in code else ""
    return EngineVoice(
        engine=engine_name,
        voice_id=key,
        language_code=code,
        language=str(language.get("name_english", code.split("-")[0])).lower(),
        gender=gender,
        accent=accent or _ACCENTS.get(region, region.lower()),
        variants=tuple(sorted(config.speakers)),
        extra={
            "name": speaker.replace("_", " ").title(),
            "quality": str(config.raw.get("audio", {}).get("quality", parts[-1])),
            "sample_rate": str(config.sample_rate),
            "pitch": "unsupported",
            "speakers": str(max(1, len(config.speakers))),
        },
    )


class PiperEngine:
    """Piper voices found in ``voices_dir``; thread-safe (onnxruntime sessions are)."""

    name = "piper"

    def __init__(
        self, voices_dir: Path | None = None, idle_seconds: float = 600.0, threads: int = 0
    ) -> None:
        runtime = onnxruntime_version("piper")
        if voices_dir is None:  # built without settings: the environment's voices directory
            from castwright.config import load_settings

            voices_dir = load_settings().voices_dir
        self.voices_dir = voices_dir / "piper"
        self._threads = threads
        self.models: ModelCache[Any] = ModelCache(idle_seconds)
        self._lock = threading.Lock()
        self._known: dict[str, tuple[EngineVoice, PiperVoiceConfig]] | None = None
        if not self._voice_table():
            raise EngineUnavailable(f"no Piper voices in {self.voices_dir}: {INSTALL_HINT}")
        self.version = f"piper-onnxruntime-{runtime}+castwright.{_MAPPING_REVISION}"

    @classmethod
    def from_settings(cls, settings: Settings) -> PiperEngine:
        library = settings.voice_library
        return cls(settings.voices_dir, library.idle_unload_seconds, library.threads)

    def _voice_table(self) -> dict[str, tuple[EngineVoice, PiperVoiceConfig]]:
        with self._lock:
            if self._known is None:
                found: dict[str, tuple[EngineVoice, PiperVoiceConfig]] = {}
                for model in sorted(self.voices_dir.glob("*/*.onnx")):
                    try:
                        config = read_piper_config(model)
                    except ValueError:
                        continue  # half-installed or foreign: not a voice
                    key = model.stem
                    found[key] = (_describe(key, config, self.name), config)
                self._known = found
            return self._known

    def voices(self) -> list[EngineVoice]:
        return [voice for voice, _ in self._voice_table().values()]

    def _ids(self, phonemes: str, config: PiperVoiceConfig) -> list[int]:
        id_map = config.phoneme_id_map
        pad = id_map.get("_", [0])
        ids = [*id_map.get("^", []), *pad]
        for phoneme in phonemes:
            for mapped in config.phoneme_map.get(phoneme, [phoneme]):
                if mapped in id_map:  # as Piper does: unknown phonemes are skipped
                    ids += id_map[mapped]
                    ids += pad
        return [*ids, *id_map.get("$", [])]

    def synthesize(self, text: str, voice_id: str, params: SynthesisParams) -> AudioBuffer:
        params.check()
        entry = self._voice_table().get(voice_id)
        if entry is None:
            raise Invalid(f"piper has no voice {voice_id!r}", field="voice_id")
        _, config = entry
        speaker = 0
        if params.variant:
            if params.variant not in config.speakers:
                raise Invalid(
                    f"piper voice {voice_id} has no speaker {params.variant!r}", field="variant"
                )
            speaker = config.speakers[params.variant]
        said = sentences(text, config.espeak_voice)
        if not said:
            return AudioBuffer.silence(0, config.sample_rate)
        scales = np.array(
            [config.noise_scale, config.length_scale / params.rate, config.noise_w],
            dtype=np.float32,
        )
        pieces: list[AudioBuffer] = []
        with self.models.use(voice_id, lambda: onnx_session(config.model, self._threads)) as model:
            for sentence in said:
                ids = np.array([self._ids(sentence.phonemes, config)], dtype=np.int64)
                inputs = {
                    "input": ids,
                    "input_lengths": np.array([ids.shape[1]], dtype=np.int64),
                    "scales": scales,
                }
                if len(config.speakers) > 1:
                    inputs["sid"] = np.array([speaker], dtype=np.int64)
                audio = np.asarray(model.run(None, inputs)[0], dtype=np.float32).reshape(-1)
                pieces.append(AudioBuffer.mono(np.clip(audio, -1.0, 1.0), config.sample_rate))
        return apply_gain(concatenate(pieces, config.sample_rate), params.volume)
