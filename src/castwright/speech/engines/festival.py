"""FestivalEngine: the Festival speech synthesiser, run as a ``text2wave`` subprocess.

Optional: present only where the ``festival`` and ``text2wave`` binaries are installed
(``apt-get install festival festvox-us-slt-hts``). Voices are the directories under
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

import re
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from castwright.audio import AudioBuffer
from castwright.audio.wav import decode_wav
from castwright.dsp import to_mono
from castwright.errors import Invalid
from castwright.speech.engines.base import EngineUnavailable, EngineVoice, SynthesisParams

__all__ = ["DEFAULT_VOICES_DIR", "FestivalEngine", "apply_gain", "decode_mono_wav"]

INSTALL_HINT = "apt-get install festival festvox-us-slt-hts"
DEFAULT_VOICES_DIR = Path("/usr/share/festival/voices")

_MAPPING_REVISION = 1
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
    """Festival via ``text2wave``; thread-safe (one subprocess per call)."""

    name = "festival"

    def __init__(self, voices_dir: Path = DEFAULT_VOICES_DIR, timeout: float = 120.0) -> None:
        text2wave = shutil.which("text2wave")
        festival = shutil.which("festival")
        if text2wave is None or festival is None:
            raise EngineUnavailable(f"festival not installed: {INSTALL_HINT}")
        self._text2wave = text2wave
        self._voices_dir = voices_dir
        self._timeout = timeout
        self._lock = threading.Lock()
        self._known: dict[str, _FestivalVoice] | None = None
        if not any(path.is_dir() for path in voices_dir.glob("*/*")):
            raise EngineUnavailable(f"festival has no voices in {voices_dir}: {INSTALL_HINT}")
        release = _tool_version([festival, "--version"], r"System: ([0-9][\w.]*)", INSTALL_HINT)
        self.version = f"festival-{release}+castwright.{_MAPPING_REVISION}"

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

    def _command(self, voice: _FestivalVoice, rate: float, output: Path) -> list[str]:
        evals = [
            f"(voice_{voice.voice.voice_id})",  # must come first: it resets the parameters
            f"(Parameter.set 'Duration_Stretch {1.0 / rate:.6f})",
        ]
        if voice.is_hts:
            evals.append(
                f'(set! hts_engine_params (append hts_engine_params (list (list "-r" {rate:.6f}))))'
            )
        command = [self._text2wave]
        for expression in evals:
            command += ["-eval", expression]
        return [*command, "-o", str(output)]

    def synthesize(self, text: str, voice_id: str, params: SynthesisParams) -> AudioBuffer:
        params.check()
        voice = self._voice_table().get(voice_id)
        if voice is None:
            raise Invalid(f"festival has no voice {voice_id!r}", field="voice_id")
        if not text.strip():
            return AudioBuffer.silence(0, 16000)
        # A file, not stdout: writing to a pipe, Festival cannot go back to fill in the WAV
        # header's sizes and leaves them 0.
        with tempfile.TemporaryDirectory(prefix="castwright-festival-") as scratch:
            output = Path(scratch) / "speech.wav"
            try:
                done = subprocess.run(
                    self._command(voice, params.rate, output),
                    input=text.encode("utf-8"),  # on stdin: text never becomes Scheme code
                    capture_output=True,
                    timeout=self._timeout,
                    check=False,
                )
            except FileNotFoundError as exc:  # uninstalled since start-up
                raise EngineUnavailable(f"festival not installed: {INSTALL_HINT}") from exc
            except subprocess.TimeoutExpired as exc:
                raise RuntimeError(f"text2wave took longer than {self._timeout:g} s") from exc
            wav = output.read_bytes() if output.exists() else b""
        errors = done.stderr.decode("utf-8", "replace").strip()
        # Festival exits 0 even after a Scheme error; an empty output is the tell.
        if done.returncode != 0 or (not wav and "ERROR" in errors):
            raise RuntimeError(f"text2wave failed ({done.returncode}): {errors[-500:]}")
        if not wav:  # nothing speakable, e.g. only punctuation
            return AudioBuffer.silence(0, 16000)
        return apply_gain(decode_mono_wav(wav), params.volume)
