"""A small ctypes binding to the espeak-ng shared library shipped in the espeakng-loader wheel.

Only what Castwright needs: initialise, list voices, select a voice, set the prosody
parameters and synthesise into memory. The library keeps all of its state in C globals (the
current voice, the parameters, the output callback), so every call goes through one
process-wide lock and nothing else in the process may talk to libespeak-ng directly.

Nothing happens at import time. The shared object is loaded when an ``EspeakLibrary`` is
first asked for (``espeak_library()``) and ``espeak_Initialize`` runs on the first call that
needs it.
"""

from __future__ import annotations

import ctypes
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

__all__ = [
    "AUDIO_OUTPUT_RETRIEVAL",
    "AUDIO_OUTPUT_SYNCHRONOUS",
    "DEFAULT_PITCH",
    "DEFAULT_RANGE",
    "DEFAULT_RATE_WPM",
    "DEFAULT_VOLUME",
    "MAX_PITCH",
    "MAX_RANGE",
    "MIN_RATE_WPM",
    "SONIC_RATE_WPM",
    "EspeakError",
    "EspeakLibrary",
    "EspeakVoiceNotFound",
    "LibraryVoice",
    "VoiceProperties",
    "espeak_library",
]

# espeak_AUDIO_OUTPUT. SYNCHRONOUS makes espeak_Synth return only after every sample has been
# handed to the callback. RETRIEVAL is the asynchronous flavour (a library thread calls back
# later); it is listed for completeness but not used, because we want the audio on return.
AUDIO_OUTPUT_RETRIEVAL = 1
AUDIO_OUTPUT_SYNCHRONOUS = 2

# espeak_PARAMETER
_PARAM_RATE = 1
_PARAM_VOLUME = 2
_PARAM_PITCH = 3
_PARAM_RANGE = 4

# espeak_Synth flags and position type
_CHARS_UTF8 = 0x01
_SSML = 0x10
_PHONEMES = 0x100  # espeakPHONEMES: text between [[ and ]] is phoneme mnemonics
_POS_CHARACTER = 1

# espeak_TextToPhonemes phoneme mode: bit 1 set gives IPA (UTF-8) rather than ASCII names.
_PHONEMES_IPA = 0x02
_CLAUSE_PUNCTUATION = ".,;:!?"
_CLOSERS = "\"')]}\u201d\u2019"  # may follow the mark: "Stop!" she said

# espeak_Initialize option bit 15: return an error instead of calling exit() when the data
# directory is missing. Without it a broken install would terminate the server process.
_INITIALIZE_DONT_EXIT = 0x8000

# espeak_ERROR
_EE_OK = 0
_EE_NOT_FOUND = 2

# The parameters' defaults and limits, from speak_lib.h and setlengths.c (espeak-ng 1.52).
DEFAULT_RATE_WPM = 175  # espeakRATE_NORMAL
MIN_RATE_WPM = 80  # espeakRATE_MINIMUM: slower requests are silently raised to this
SONIC_RATE_WPM = 450  # at and above this the library speeds up with its built-in sonic
DEFAULT_PITCH = 50
MAX_PITCH = 99
DEFAULT_RANGE = 50
MAX_RANGE = 99
DEFAULT_VOLUME = 100

# Milliseconds of audio per callback. Larger buffers mean fewer Python callbacks; 200 ms
# measured as fast as anything larger and keeps the library's internal buffer small.
_BUFFER_MS = 200


class EspeakError(RuntimeError):
    """libespeak-ng reported an error or could not be loaded."""


class EspeakVoiceNotFound(EspeakError, LookupError):
    """No voice matched the name or properties asked for."""


@dataclass(frozen=True)
class LibraryVoice:
    """One entry of espeak_ListVoices, copied out of the library's memory."""

    name: str  # e.g. "English (America)"
    identifier: str  # file under espeak-ng-data/voices, e.g. "gmw/en-US" or "!v/f2"
    languages: tuple[tuple[int, str], ...]  # (priority, language), best (lowest) first
    gender: int  # 0 unknown, 1 male, 2 female
    age: int  # 0 unknown


@dataclass(frozen=True)
class VoiceProperties:
    """A voice described by what it should be rather than by name (espeak_SetVoiceByProperties).

    variant: 0 picks the best match, 2 the second best, and so on.
    """

    language: str = ""
    gender: int = 0
    age: int = 0
    variant: int = 0


class _EspeakVoiceStruct(ctypes.Structure):
    _fields_ = [
        ("name", ctypes.c_char_p),
        # Not c_char_p: the field holds several NUL-separated strings, and c_char_p would
        # stop at the first NUL.
        ("languages", ctypes.c_void_p),
        ("identifier", ctypes.c_char_p),
        ("gender", ctypes.c_ubyte),
        ("age", ctypes.c_ubyte),
        ("variant", ctypes.c_ubyte),
        ("xx1", ctypes.c_ubyte),
        ("score", ctypes.c_int),
        ("spare", ctypes.c_void_p),
    ]


_SynthCallback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)

# One lock for the one copy of the library's global state in this process.
_LOCK = threading.Lock()
_INSTANCE: EspeakLibrary | None = None


def espeak_library() -> EspeakLibrary:
    """The process-wide ``EspeakLibrary``, loaded on first call.

    Raises ``EspeakError`` when espeakng-loader or its shared library is missing.
    """
    global _INSTANCE
    with _LOCK:
        if _INSTANCE is None:
            _INSTANCE = EspeakLibrary._load()
        return _INSTANCE


def _read_languages(address: int | None) -> tuple[tuple[int, str], ...]:
    """Decode the ``languages`` field: (priority byte, NUL-terminated string)*, then NUL."""
    if not address:
        return ()
    found: list[tuple[int, str]] = []
    offset = 0
    while True:
        priority = ctypes.c_ubyte.from_address(address + offset).value
        if priority == 0:
            return tuple(found)
        language = ctypes.string_at(address + offset + 1)
        found.append((priority, language.decode("utf-8", "replace")))
        offset += len(language) + 2  # priority byte + string + its NUL


def _terminator(consumed: str, more: bool) -> str:
    """The punctuation that ended a clause, from the text the library consumed for it.

    The library reads one character past the clause when more follows, so that one is
    ignored; closing quotes and brackets after the mark are skipped.
    """
    body = consumed[:-1] if more and consumed else consumed
    for char in reversed(body.rstrip()):
        if char in _CLAUSE_PUNCTUATION:
            return char
        if char not in _CLOSERS:
            return ""
    return ""


def _decode(raw: bytes | None) -> str:
    return raw.decode("utf-8", "replace") if raw else ""


class EspeakLibrary:
    """Thread-safe access to libespeak-ng. Obtain it with ``espeak_library()``."""

    def __init__(self, library: ctypes.CDLL, data_path: str) -> None:
        self._lib = library
        self._data_path = data_path
        self._declare_signatures()
        self._sample_rate = 0  # 0 until espeak_Initialize has run
        self._pcm = bytearray()
        # Kept on the instance so the C function pointer outlives every call into the library.
        self._callback = _SynthCallback(self._collect)
        version = self._lib.espeak_Info(None)
        self.version: str = _decode(version)

    @classmethod
    def _load(cls) -> EspeakLibrary:
        try:
            import espeakng_loader
        except ImportError as exc:
            raise EspeakError(
                "espeakng-loader is not installed: pip install espeakng-loader"
            ) from exc
        library_path = Path(espeakng_loader.get_library_path())
        if not library_path.is_file():
            raise EspeakError(f"libespeak-ng is missing at {library_path}")
        try:
            data_path = str(espeakng_loader.get_data_path())
            library = ctypes.CDLL(str(library_path))
        except (OSError, RuntimeError) as exc:
            raise EspeakError(f"cannot load libespeak-ng: {exc}") from exc
        return cls(library, data_path)

    def _declare_signatures(self) -> None:
        lib = self._lib
        lib.espeak_Info.argtypes = [ctypes.c_void_p]
        lib.espeak_Info.restype = ctypes.c_char_p
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_SetSynthCallback.argtypes = [_SynthCallback]
        lib.espeak_SetSynthCallback.restype = None
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetVoiceByName.restype = ctypes.c_int
        lib.espeak_SetVoiceByProperties.argtypes = [ctypes.POINTER(_EspeakVoiceStruct)]
        lib.espeak_SetVoiceByProperties.restype = ctypes.c_int
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_SetParameter.restype = ctypes.c_int
        lib.espeak_ListVoices.argtypes = [ctypes.POINTER(_EspeakVoiceStruct)]
        lib.espeak_ListVoices.restype = ctypes.POINTER(ctypes.POINTER(_EspeakVoiceStruct))
        lib.espeak_Synth.argtypes = [
            ctypes.c_void_p,  # text
            ctypes.c_size_t,  # size in bytes, terminating NUL included
            ctypes.c_uint,  # position
            ctypes.c_int,  # position type
            ctypes.c_uint,  # end position (0: none)
            ctypes.c_uint,  # flags
            ctypes.POINTER(ctypes.c_uint),  # unique identifier out (may be NULL)
            ctypes.c_void_p,  # user data
        ]
        lib.espeak_Synth.restype = ctypes.c_int
        lib.espeak_TextToPhonemes.argtypes = [
            ctypes.POINTER(ctypes.c_void_p),  # in/out: where the next clause starts
            ctypes.c_int,  # text mode
            ctypes.c_int,  # phoneme mode
        ]
        lib.espeak_TextToPhonemes.restype = ctypes.c_char_p

    # -- everything below runs with _LOCK held ------------------------------------------------

    def _initialise(self) -> None:
        if self._sample_rate:
            return
        rate = self._lib.espeak_Initialize(
            AUDIO_OUTPUT_SYNCHRONOUS, _BUFFER_MS, self._data_path.encode(), _INITIALIZE_DONT_EXIT
        )
        if rate <= 0:
            raise EspeakError(f"espeak_Initialize failed (data path {self._data_path})")
        self._lib.espeak_SetSynthCallback(self._callback)
        self._sample_rate = rate

    def _collect(
        self, wav: ctypes._Pointer[ctypes.c_short], count: int, _events: int | None
    ) -> int:
        # Called by espeak_Synth on the calling thread, with _LOCK held by that thread.
        if wav and count > 0:
            self._pcm += ctypes.string_at(wav, count * 2)
        return 0  # 0: carry on synthesising

    def _select_voice(self, voice: str | VoiceProperties) -> None:
        if isinstance(voice, str):
            status = self._lib.espeak_SetVoiceByName(voice.encode())
            wanted = repr(voice)
        else:
            spec = _EspeakVoiceStruct()
            language = ctypes.c_char_p(voice.language.encode() or None)
            spec.languages = ctypes.cast(language, ctypes.c_void_p).value
            spec.gender = voice.gender
            spec.age = voice.age
            spec.variant = voice.variant
            status = self._lib.espeak_SetVoiceByProperties(ctypes.byref(spec))
            wanted = str(voice)
        # On failure the library silently keeps the previous voice, so this check matters.
        if status == _EE_NOT_FOUND:
            raise EspeakVoiceNotFound(f"espeak-ng has no voice {wanted}")
        if status != _EE_OK:
            raise EspeakError(f"espeak-ng could not select voice {wanted} (error {status})")

    def _set_parameter(self, parameter: int, value: int) -> None:
        status = self._lib.espeak_SetParameter(parameter, value, 0)
        if status != _EE_OK:
            raise EspeakError(f"espeak_SetParameter({parameter}, {value}) failed ({status})")

    # -- public ---------------------------------------------------------------------------------

    @property
    def sample_rate(self) -> int:
        """Output sample rate in Hz (22050 for the voices espeak-ng ships)."""
        with _LOCK:
            self._initialise()
            return self._sample_rate

    def list_voices(self, language: str | None = None) -> list[LibraryVoice]:
        """espeak_ListVoices: every language voice, or those matching ``language``.

        ``language="variant"`` lists the voice variants (espeak-ng-data/voices/!v).
        """
        with _LOCK:
            self._initialise()
            if language is None:
                array = self._lib.espeak_ListVoices(None)
            else:
                spec = _EspeakVoiceStruct()
                text = ctypes.c_char_p(language.encode())
                spec.languages = ctypes.cast(text, ctypes.c_void_p).value
                array = self._lib.espeak_ListVoices(ctypes.byref(spec))
            # The array lives in library memory and is rebuilt by the next call: copy it now.
            voices: list[LibraryVoice] = []
            index = 0
            while array[index]:
                entry = array[index].contents
                voices.append(
                    LibraryVoice(
                        name=_decode(entry.name).strip(),
                        identifier=_decode(entry.identifier),
                        languages=_read_languages(entry.languages),
                        gender=int(entry.gender),
                        age=int(entry.age),
                    )
                )
                index += 1
            return voices

    def phonemes(self, text: str, voice: str) -> list[tuple[str, str]]:
        """``text`` as IPA, clause by clause: (phonemes, the punctuation that ended the clause).

        What neural voices trained on espeak-ng phonemes (Piper, Kokoro) are fed. The library
        drops the punctuation, so it is recovered from the text each clause consumed.
        """
        encoded = text.replace("\x00", " ").encode("utf-8")
        clauses: list[tuple[str, str]] = []
        with _LOCK:
            self._initialise()
            self._select_voice(voice)
            buffer = ctypes.create_string_buffer(encoded)
            position = ctypes.c_void_p(ctypes.addressof(buffer))
            end = ctypes.addressof(buffer) + len(encoded)
            while position.value and position.value < end:
                start = position.value
                raw = self._lib.espeak_TextToPhonemes(
                    ctypes.byref(position), _CHARS_UTF8, _PHONEMES_IPA
                )
                stop = position.value or end
                consumed = ctypes.string_at(start, max(0, stop - start)).decode("utf-8", "replace")
                clauses.append((_decode(raw).strip(), _terminator(consumed, stop < end)))
        return clauses

    def synthesize(
        self,
        text: str,
        voice: str | VoiceProperties,
        *,
        rate_wpm: int = DEFAULT_RATE_WPM,
        pitch: int = DEFAULT_PITCH,
        pitch_range: int = DEFAULT_RANGE,
        volume: int = DEFAULT_VOLUME,
        ssml: bool = False,
        phonemes: bool = False,
    ) -> npt.NDArray[np.int16]:
        """Speak ``text`` and return its int16 samples at ``sample_rate``.

        ``voice`` is a name espeak_SetVoiceByName accepts (a voice file such as "gmw/en-US",
        optionally with a variant: "gmw/en-US+f2") or ``VoiceProperties``. Every parameter is
        set on every call, because the library would otherwise keep the previous caller's.
        ``phonemes`` reads text between ``[[`` and ``]]`` as espeak-ng phoneme mnemonics.
        """
        # A NUL would end the C string early and silently drop the rest of the text.
        encoded = text.replace("\x00", " ").encode("utf-8")
        flags = _CHARS_UTF8 | (_SSML if ssml else 0) | (_PHONEMES if phonemes else 0)
        with _LOCK:
            self._initialise()
            self._select_voice(voice)
            self._set_parameter(_PARAM_RATE, rate_wpm)
            self._set_parameter(_PARAM_PITCH, pitch)
            self._set_parameter(_PARAM_RANGE, pitch_range)
            self._set_parameter(_PARAM_VOLUME, volume)
            self._pcm = bytearray()
            buffer = ctypes.create_string_buffer(encoded)
            status = self._lib.espeak_Synth(
                buffer, len(encoded) + 1, 0, _POS_CHARACTER, 0, flags, None, None
            )
            pcm, self._pcm = self._pcm, bytearray()
        if status != _EE_OK:
            raise EspeakError(f"espeak_Synth failed (error {status})")
        return np.frombuffer(pcm, dtype=np.int16)  # the bytearray is ours alone: no copy

    def text_to_phonemes(
        self, text: str, voice: str, *, ipa: bool = True, separator: str = "|"
    ) -> list[tuple[str, str]]:
        """espeak_TextToPhonemes: the phonemes of ``text`` clause by clause, without synthesis.

        Returns (phonemes, source) per clause: words separated by spaces, phonemes within a
        word by ``separator``, stress marks on the vowel; ``source`` is the slice of ``text``
        the library consumed for the clause, which runs one character into the next clause
        (the library reads ahead) except for the last.
        """
        raw = text.replace("\x00", " ").encode("utf-8")
        # Phoneme mode: bit 1 for IPA, the separator character in bits 8-23.
        mode = (_PHONEMES_IPA if ipa else 0) | (ord(separator) << 8 if separator else 0)
        clauses: list[tuple[str, str]] = []
        with _LOCK:
            self._initialise()
            self._select_voice(voice)
            buffer = ctypes.create_string_buffer(raw)
            base = ctypes.addressof(buffer)
            pointer = ctypes.c_void_p(base)
            while pointer.value:
                start = pointer.value - base
                if start >= len(raw):
                    break
                phonemes = self._lib.espeak_TextToPhonemes(ctypes.byref(pointer), _CHARS_UTF8, mode)
                end = pointer.value - base if pointer.value else len(raw)
                source = raw[start:end].decode("utf-8", "replace")
                clauses.append((_decode(phonemes), source))
        return clauses
