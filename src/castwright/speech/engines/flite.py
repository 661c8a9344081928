"""FliteEngine: CMU Flite, in process through libflite, or as a ``flite`` subprocess.

Optional: present only where Flite is installed (``apt-get install flite``, which brings the
libflite1 libraries). Where libflite and its voice libraries load, synthesis runs in process
(``flite_library.py``): no process start and no voice load per sentence. Otherwise, with only
the ``flite`` binary, each call runs it. Voices are kal, kal16, awb, rms and slt (Debian's
set), never the limited-domain ``awb_time``, which can only tell the time.

Parameters:

* rate: ``--setf duration_stretch=1/rate``; duration scales exactly as asked.
* pitch: ``--setf f0_shift=pitch``, a true multiplier of the whole f0 contour. It is used
  rather than ``int_f0_target_mean`` because that only moves the mean (the excursions stay
  as many Hz as before) and needs each voice's default mean. The ``rms`` voice ignores
  both, so its pitch cannot change; it reports ``extra["pitch"] == "unsupported"``.
* volume: a linear gain applied to the samples.

Audio comes back at the voice's own sample rate (8000 Hz for kal, 16000 Hz for the rest).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

import numpy as np

from castwright.audio import AudioBuffer
from castwright.errors import Invalid
from castwright.speech.engines.base import EngineUnavailable, EngineVoice, SynthesisParams
from castwright.speech.engines.festival import apply_gain, decode_mono_wav
from castwright.speech.engines.flite_library import (
    FliteLibrary,
    FliteLibraryError,
    flite_library,
)

__all__ = ["FliteEngine"]

INSTALL_HINT = "apt-get install flite"

_MAPPING_REVISION = 2  # 2: in process through libflite where it loads
_LIMITED_DOMAIN = frozenset({"awb_time"})
_FIXED_PITCH = frozenset({"rms"})  # measured: neither f0_shift nor int_f0_target_mean moves it

# Gender, BCP-47, accent and native sample rate of the voices Flite ships.
_SPEAKERS: dict[str, tuple[str, str, str, str]] = {
    "kal": ("male", "en-US", "american", "8000"),
    "kal16": ("male", "en-US", "american", "16000"),
    "awb": ("male", "en-GB", "scottish", "16000"),
    "rms": ("male", "en-US", "american", "16000"),
    "slt": ("female", "en-US", "american", "16000"),
}


def _describe(name: str, engine_name: str) -> EngineVoice:
    gender, language_code, accent, rate = _SPEAKERS.get(name, ("neutral", "en-US", "", ""))
    extra = {"pitch": "unsupported" if name in _FIXED_PITCH else "f0_shift"}
    if rate:
        extra["sample_rate"] = rate
    return EngineVoice(
        engine=engine_name,
        voice_id=name,
        language_code=language_code,
        language="english",
        gender=gender,
        accent=accent,
        extra=extra,
    )


class FliteEngine:
    """Flite; thread-safe (the library is serialised; the command line runs per call)."""

    name = "flite"

    def __init__(self, timeout: float = 120.0, *, use_library: bool = True) -> None:
        self._library: FliteLibrary | None = None
        if use_library:
            try:
                self._library = flite_library()
            except FliteLibraryError:
                self._library = None  # fall back to the command line, if there is one
        flite = shutil.which("flite")
        if flite is None and self._library is None:
            raise EngineUnavailable(f"flite not installed: {INSTALL_HINT}")
        self._flite = flite or "flite"
        self._timeout = timeout
        self._lock = threading.Lock()
        self._known: dict[str, EngineVoice] | None = None
        release = self._release() if flite else "flite-library"
        self.version = f"{release}+castwright.{_MAPPING_REVISION}"

    @property
    def in_process(self) -> bool:
        """Whether synthesis runs in this process (libflite) rather than a ``flite`` per call."""
        return self._library is not None

    def _run(self, arguments: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
        try:
            return subprocess.run(
                [self._flite, *arguments],
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except FileNotFoundError as exc:  # uninstalled since start-up
            raise EngineUnavailable(f"flite not installed: {INSTALL_HINT}") from exc
        except subprocess.TimeoutExpired as exc:
            raise RuntimeError(f"flite took longer than {timeout:g} s") from exc

    def _release(self) -> str:
        done = self._run(["--version"], timeout=10)  # exits 1 even when it works
        match = re.search(r"(flite-[\w.-]+)", done.stdout + done.stderr)
        if match is None:
            raise EngineUnavailable(f"flite --version failed: {INSTALL_HINT}")
        return match.group(1)

    def _voice_table(self) -> dict[str, EngineVoice]:
        with self._lock:
            if self._known is None:
                if self._library is not None:
                    names = self._library.voice_names
                else:
                    done = self._run(["-lv"], timeout=10)
                    _, _, listed = (done.stdout + done.stderr).partition("Voices available:")
                    names = [name for name in listed.split() if name not in _LIMITED_DOMAIN]
                self._known = {name: _describe(name, self.name) for name in names}
            return self._known

    def voices(self) -> list[EngineVoice]:
        return list(self._voice_table().values())

    def synthesize(self, text: str, voice_id: str, params: SynthesisParams) -> AudioBuffer:
        params.check()
        if voice_id not in self._voice_table():
            raise Invalid(f"flite has no voice {voice_id!r}", field="voice_id")
        native = int(self._voice_table()[voice_id].extra.get("sample_rate", "16000"))
        if not text.strip():
            return AudioBuffer.silence(0, native)
        f0_shift = params.pitch if voice_id not in _FIXED_PITCH else 1.0
        if self._library is not None:
            pcm, rate = self._library.synthesize(
                text, voice_id, duration_stretch=1.0 / params.rate, f0_shift=f0_shift
            )
            samples = np.multiply(pcm, np.float32(1.0 / 32768.0), dtype=np.float32)
            return apply_gain(AudioBuffer.mono(samples, rate), params.volume)
        return apply_gain(self._run_command(text, voice_id, params.rate, f0_shift), params.volume)

    def _run_command(self, text: str, voice_id: str, rate: float, f0_shift: float) -> AudioBuffer:
        settings = ["--setf", f"duration_stretch={1.0 / rate:.6f}"]
        if f0_shift != 1.0:
            settings += ["--setf", f"f0_shift={f0_shift:.6f}"]
        with tempfile.TemporaryDirectory(prefix="castwright-flite-") as scratch:
            # Text in a file rather than argv: no length limit and not visible in `ps`.
            text_file = Path(scratch) / "text.txt"
            text_file.write_text(text, encoding="utf-8")
            output = Path(scratch) / "speech.wav"
            arguments = ["-voice", voice_id, *settings, "-f", str(text_file), "-o", str(output)]
            done = self._run(arguments, timeout=self._timeout)
            wav = output.read_bytes() if output.exists() else b""
        if done.returncode != 0 or not wav:
            raise RuntimeError(f"flite failed ({done.returncode}): {done.stderr.strip()[-500:]}")
        return decode_mono_wav(wav)
