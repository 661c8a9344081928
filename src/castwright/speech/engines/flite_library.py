"""A small ctypes binding to libflite, the CMU Flite library (Debian: libflite1).

Flite is a C library first and a command line second; calling it in process saves a process
start and a voice load per sentence. Only what Castwright needs: register the voices, and
synthesise one utterance with per-utterance settings (``duration_stretch``, ``f0_shift``) so
concurrent callers never see each other's settings.

Each voice lives in its own shared object (``libflite_cmu_us_slt.so.1`` ...) exporting
``register_cmu_us_<name>``. Flite keeps a little global state (the lexicon's addenda, the
voice list), so every call goes through one process-wide lock; the synthesis itself runs in C
with the GIL released, so other engines carry on meanwhile.
"""

from __future__ import annotations

import ctypes
import threading
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["FLITE_VOICES", "FliteLibrary", "FliteLibraryError", "flite_library"]

# The general-purpose voices Debian's libflite1 ships (cmu_time_awb only tells the time).
FLITE_VOICES = ("slt", "rms", "awb", "kal16", "kal")

_LIBRARY = "libflite.so.1"
_VOICE_LIBRARY = "libflite_cmu_us_{name}.so.1"


class FliteLibraryError(RuntimeError):
    """libflite or one of its voices could not be loaded."""


class _Wave(ctypes.Structure):
    # cst_wave from cst_wave.h
    _fields_ = [
        ("type", ctypes.c_char_p),
        ("sample_rate", ctypes.c_int),
        ("num_samples", ctypes.c_int),
        ("num_channels", ctypes.c_int),
        ("samples", ctypes.POINTER(ctypes.c_short)),
    ]


@dataclass(frozen=True)
class _Signature:
    restype: type | None
    argtypes: list[type]


_VOID_P = ctypes.c_void_p
_SIGNATURES = {
    "flite_init": _Signature(ctypes.c_int, []),
    "new_utterance": _Signature(_VOID_P, []),
    "utt_set_input_text": _Signature(None, [_VOID_P, ctypes.c_char_p]),
    "utt_init": _Signature(_VOID_P, [_VOID_P, _VOID_P]),
    "utt_synth": _Signature(_VOID_P, [_VOID_P]),
    "utt_wave": _Signature(_VOID_P, [_VOID_P]),
    "delete_utterance": _Signature(None, [_VOID_P]),
    "feat_set_float": _Signature(None, [_VOID_P, ctypes.c_char_p, ctypes.c_float]),
}

_LOCK = threading.Lock()
_INSTANCE: FliteLibrary | None = None


def flite_library() -> FliteLibrary:
    """The process-wide ``FliteLibrary``; ``FliteLibraryError`` when libflite is missing."""
    global _INSTANCE
    with _LOCK:
        if _INSTANCE is None:
            _INSTANCE = FliteLibrary._load()
        return _INSTANCE


class FliteLibrary:
    """libflite and the voice libraries found next to it. Obtain it with ``flite_library()``."""

    def __init__(self, library: ctypes.CDLL, voice_libraries: dict[str, ctypes.CDLL]) -> None:
        self._lib = library
        self._voice_libraries = voice_libraries
        self._voices: dict[str, int] = {}  # name -> cst_voice*, registered on first use
        for name, signature in _SIGNATURES.items():
            function = getattr(library, name)
            function.restype = signature.restype
            function.argtypes = signature.argtypes
        library.flite_init()

    @classmethod
    def _load(cls) -> FliteLibrary:
        try:
            # RTLD_GLOBAL: the voice libraries resolve flite's symbols against this copy.
            library = ctypes.CDLL(_LIBRARY, mode=ctypes.RTLD_GLOBAL)
        except OSError as exc:
            raise FliteLibraryError(f"cannot load {_LIBRARY}: {exc}") from exc
        voices: dict[str, ctypes.CDLL] = {}
        for name in FLITE_VOICES:
            try:
                voices[name] = ctypes.CDLL(_VOICE_LIBRARY.format(name=name))
            except OSError:
                continue  # not installed: simply not offered
        if not voices:
            raise FliteLibraryError("no flite voice libraries (libflite_cmu_us_*.so.1) found")
        return cls(library, voices)

    @property
    def voice_names(self) -> list[str]:
        return list(self._voice_libraries)

    def _voice(self, name: str) -> int:
        # Called with _LOCK held.
        voice = self._voices.get(name)
        if voice is None:
            register = getattr(self._voice_libraries[name], f"register_cmu_us_{name}")
            register.restype = _VOID_P
            register.argtypes = [ctypes.c_char_p]
            voice = register(None)
            if not voice:
                raise FliteLibraryError(f"flite could not register the voice {name!r}")
            self._voices[name] = voice
        return voice

    def synthesize(
        self, text: str, voice: str, *, duration_stretch: float = 1.0, f0_shift: float = 1.0
    ) -> tuple[npt.NDArray[np.int16], int]:
        """Speak ``text``; returns (mono int16 samples, the voice's sample rate)."""
        if voice not in self._voice_libraries:
            raise FliteLibraryError(f"flite has no voice {voice!r}")
        encoded = text.replace("\x00", " ").encode("utf-8")
        lib = self._lib
        with _LOCK:
            utterance = lib.new_utterance()
            try:
                lib.utt_set_input_text(utterance, encoded)
                lib.utt_init(utterance, self._voice(voice))
                # The utterance's own features shadow the voice's (utt_init links them), so
                # these settings last for this utterance only.
                features = ctypes.cast(utterance, ctypes.POINTER(_VOID_P))[0]
                lib.feat_set_float(features, b"duration_stretch", duration_stretch)
                if f0_shift != 1.0:
                    lib.feat_set_float(features, b"f0_shift", f0_shift)
                lib.utt_synth(utterance)
                wave = lib.utt_wave(utterance)
                if not wave:
                    return np.zeros(0, dtype=np.int16), 16000
                info = ctypes.cast(wave, ctypes.POINTER(_Wave)).contents
                count = info.num_samples * max(1, info.num_channels)
                samples = np.ctypeslib.as_array(info.samples, shape=(count,)).copy()
                rate = int(info.sample_rate)
                if info.num_channels > 1:  # flite's voices are mono; be safe anyway
                    samples = samples.reshape(-1, info.num_channels)[:, 0].copy()
            finally:
                lib.delete_utterance(utterance)
        return samples, rate
