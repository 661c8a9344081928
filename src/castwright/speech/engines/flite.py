"""FliteEngine: CMU Flite, run as a ``flite`` subprocess.

Optional: present only where the ``flite`` binary is installed (``apt-get install flite``).
Voices are those ``flite -lv`` lists (Debian: kal, kal16, awb, rms, slt), except the
limited-domain ``awb_time``, which can only tell the time.

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

from castwright.audio import AudioBuffer
from castwright.errors import Invalid
from castwright.speech.engines.base import EngineUnavailable, EngineVoice, SynthesisParams
from castwright.speech.engines.festival import apply_gain, decode_mono_wav

__all__ = ["FliteEngine"]

INSTALL_HINT = "apt-get install flite"

_MAPPING_REVISION = 1
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
    """Flite via its command line; thread-safe (one subprocess per call)."""

    name = "flite"

    def __init__(self, timeout: float = 120.0) -> None:
        flite = shutil.which("flite")
        if flite is None:
            raise EngineUnavailable(f"flite not installed: {INSTALL_HINT}")
        self._flite = flite
        self._timeout = timeout
        self._lock = threading.Lock()
        self._known: dict[str, EngineVoice] | None = None
        self.version = f"{self._release()}+castwright.{_MAPPING_REVISION}"

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
        if not text.strip():
            return AudioBuffer.silence(0, 16000)
        settings = ["--setf", f"duration_stretch={1.0 / params.rate:.6f}"]
        if params.pitch != 1.0 and voice_id not in _FIXED_PITCH:
            settings += ["--setf", f"f0_shift={params.pitch:.6f}"]
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
        return apply_gain(decode_mono_wav(wav), params.volume)
