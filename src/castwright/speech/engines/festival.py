"""FestivalEngine: the Festival speech synthesiser, through long-lived ``festival --pipe``
processes (festival_pool.py), so a sentence costs its synthesis and not a process start and
a voice load.

Optional: present only where the ``festival`` binary is installed (``apt-get install
festival festvox-us-slt-hts``). Voices are the directories under
/usr/share/festival/voices/<language>/<voice>; ``cmu_us_slt_arctic_hts`` is the one the
Debian package above installs.

Parameters:

* rate: Festival's ``Duration_Stretch`` (1 / rate) for diphone and cluster-unit voices. HTS
  voices ignore that parameter, so for them the hts_engine speed option ``-r`` is set as
  well. Both scale duration exactly as asked.
* pitch: not applied. Festival's HTS module ignores the half-tone option (``-fm``) and the
  other voices keep their pitch in per-voice intonation models, so there is no cheap,
  honest way to do it; the voices report ``extra["pitch"] == "unsupported"``.
* volume: a linear gain applied to the samples.

Audio comes back at the voice's own sample rate (32000 Hz for the HTS voice).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from castwright.audio import AudioBuffer
from castwright.audio.wav import decode_wav
from castwright.dsp import to_mono
from castwright.errors import Invalid
from castwright.speech.engines.base import EngineUnavailable, EngineVoice, SynthesisParams
from castwright.speech.engines.festival_pool import FestivalError, FestivalPool

if TYPE_CHECKING:
    from castwright.config import Settings

__all__ = ["DEFAULT_VOICES_DIR", "FestivalEngine", "apply_gain", "decode_mono_wav"]

INSTALL_HINT = "apt-get install festival festvox-us-slt-hts"
DEFAULT_VOICES_DIR = Path("/usr/share/festival/voices")

_MAPPING_REVISION = 1  # the pipe pool renders what text2wave rendered
# Voice names become Scheme code ("(voice_NAME)"), so only plain identifiers are accepted.
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_]+$")

# Known speakers: gender, BCP-47 and accent. Festival itself does not record them.
_SPEAKERS: dict[str, tuple[str, str, str]] = {
    "slt": ("female", "en-US", "american"),
    "clb": ("female", "en-US", "american"),
    "ljm": ("female", "en-US", "american"),
    "eey": ("female", "en-US", "american"),
    "bdl": ("male", "en-US", "american"),
    "rms": ("male", "en-US", "american"),
    "rxr": ("male", "en-US", "american"),
    "kal": ("male", "en-US", "american"),
    "ked": ("male", "en-US", "american"),
    "awb": ("male", "en-GB", "scottish"),
    "rab": ("male", "en-GB", "british"),
    "jmk": ("male", "en-CA", "canadian"),
    "ksp": ("male", "en-IN", "indian"),
    "aup": ("male", "en-IN", "indian"),
}
# Voice directory's language folder -> (BCP-47, English name, accent)
_LANGUAGE_DIRS: dict[str, tuple[str, str, str]] = {
    "us": ("en-US", "english", "american"),
    "english": ("en-GB", "english", "british"),
    "british": ("en-GB", "english", "british"),
    "spanish": ("es", "spanish", ""),
    "welsh": ("cy", "welsh", ""),
    "finnish": ("fi", "finnish", ""),
    "czech": ("cs", "czech", ""),
    "italian": ("it", "italian", ""),
    "russian": ("ru", "russian", ""),
}


def apply_gain(audio: AudioBuffer, volume: float) -> AudioBuffer:
    """``audio`` scaled by ``volume`` and clipped to [-1, 1]."""
    if volume == 1.0:
        return audio
    return AudioBuffer(np.clip(audio.samples * np.float32(volume), -1.0, 1.0), audio.sample_rate)


def decode_mono_wav(data: bytes) -> AudioBuffer:
    return to_mono(decode_wav(data))


@dataclass(frozen=True)
class _FestivalVoice:
    voice: EngineVoice
    is_hts: bool


def _describe(voice_dir: Path, engine_name: str) -> _FestivalVoice:
    name = voice_dir.name
    language_code, language, accent = _LANGUAGE_DIRS.get(
        voice_dir.parent.name, ("und", voice_dir.parent.name.lower(), "")
    )
    gender = "neutral"
    for token in name.lower().split("_"):
        if token in _SPEAKERS:
            gender, language_code, accent = _SPEAKERS[token]
            break
    is_hts = (voice_dir / "hts").is_dir() or name.endswith("_hts")
    return _FestivalVoice(
        EngineVoice(
            engine=engine_name,
            voice_id=name,
            language_code=language_code,
            language=language,
            gender=gender,
            accent=accent,
            extra={"pitch": "unsupported", "synthesis": "hts" if is_hts else "festival"},
        ),
        is_hts,
    )


def _tool_version(command: list[str], pattern: str, install_hint: str) -> str:
    """The version a tool prints, or EngineUnavailable if the tool does not even run."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise EngineUnavailable(f"{command[0]} does not run ({exc}): {install_hint}") from exc
    match = re.search(pattern, done.stdout + done.stderr)
    if done.returncode != 0 or match is None:
        raise EngineUnavailable(f"{command[0]} --version failed: {install_hint}")
    return match.group(1)


class FestivalEngine:
    """Festival, through a pool of long-lived ``festival --pipe`` processes; thread-safe."""

    name = "festival"

    def __init__(
        self, voices_dir: Path = DEFAULT_VOICES_DIR, timeout: float = 120.0, processes: int = 0
    ) -> None:
        festival = shutil.which("festival")
        if festival is None:
            raise EngineUnavailable(f"festival not installed: {INSTALL_HINT}")
        self._voices_dir = voices_dir
        self._timeout = timeout
        self._lock = threading.Lock()
        self._known: dict[str, _FestivalVoice] | None = None
        self._rates: dict[str, int] = {}  # voice -> sample rate, learnt from its first audio
        if not any(path.is_dir() for path in voices_dir.glob("*/*")):
            raise EngineUnavailable(f"festival has no voices in {voices_dir}: {INSTALL_HINT}")
        release = _tool_version([festival, "--version"], r"System: ([0-9][\w.]*)", INSTALL_HINT)
        self.version = f"festival-{release}+castwright.{_MAPPING_REVISION}"
        # Processes start on the first synthesis, so loading the registry stays cheap.
        self._pool = FestivalPool(festival, processes or min(2, os.cpu_count() or 1))

    @classmethod
    def from_settings(cls, settings: Settings) -> FestivalEngine:
        return cls(processes=settings.speech.festival_processes)

    @property
    def pool(self) -> FestivalPool:
        return self._pool

    def close(self) -> None:
        """Stop the Festival processes (they also stop when this process exits)."""
        self._pool.close()

    def _voice_table(self) -> dict[str, _FestivalVoice]:
        with self._lock:
            if self._known is None:
                found = sorted(p for p in self._voices_dir.glob("*/*") if p.is_dir())
                self._known = {
                    p.name: _describe(p, self.name) for p in found if _SAFE_NAME.match(p.name)
                }
            return self._known

    def voices(self) -> list[EngineVoice]:
        return [entry.voice for entry in self._voice_table().values()]

    def _prelude(self, voice: _FestivalVoice, rate: float) -> str:
        expressions = [
            f"(voice_{voice.voice.voice_id})",  # must come first: it resets the parameters
            f"(Parameter.set 'Duration_Stretch {1.0 / rate:.6f})",
        ]
        if voice.is_hts:  # selecting the voice above resets hts_engine_params, so no pile-up
            expressions.append(
                f'(set! hts_engine_params (append hts_engine_params (list (list "-r" {rate:.6f}))))'
            )
        return " ".join(expressions)

    def synthesize(self, text: str, voice_id: str, params: SynthesisParams) -> AudioBuffer:
        params.check()
        voice = self._voice_table().get(voice_id)
        if voice is None:
            raise Invalid(f"festival has no voice {voice_id!r}", field="voice_id")
        if not text.strip():
            return AudioBuffer.silence(0, self._rates.get(voice_id, 16000))
        # Text in a file, never in Scheme; audio in a file, where Festival can go back and
        # fill in the WAV header's sizes.
        with tempfile.TemporaryDirectory(prefix="castwright-festival-") as scratch:
            text_file = Path(scratch) / "text.txt"
            text_file.write_text(text, encoding="utf-8")
            output = Path(scratch) / "speech.wav"
            try:
                with self._pool.lease() as process:
                    process.synthesize(
                        self._prelude(voice, params.rate), text_file, output, self._timeout
                    )
            except FestivalError as exc:
                raise RuntimeError(f"festival failed: {exc}") from exc
            except FileNotFoundError as exc:  # uninstalled since start-up
                raise EngineUnavailable(f"festival not installed: {INSTALL_HINT}") from exc
            wav = output.read_bytes() if output.exists() else b""
        if len(wav) <= 44:  # nothing speakable, e.g. only punctuation
            return AudioBuffer.silence(0, self._rates.get(voice_id, 16000))
        audio = decode_mono_wav(wav)
        self._rates[voice_id] = audio.sample_rate
        return apply_gain(audio, params.volume)
