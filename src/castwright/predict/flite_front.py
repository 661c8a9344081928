"""Flite's own front end, in process: the phones a text becomes, without synthesising it.

Flite and Festival read text their own way (``$12.05`` is "twelve dollars five", a phone
number digit by digit with no pauses, their own phrase breaks), which espeak-ng's front end
does not know. libflite runs the whole front end (tokens, numbers, lexicon, phrasing, pauses)
and then a segment duration model in well under a millisecond per sentence; only the
waveform synthesis is costly, and that is skipped here by giving the utterance a wave
synthesis step that does nothing.

The durations come from Flite's ``kal`` voice, whose duration model is the US English one
(a z-score tree over each phone's context: stress, phrase position, neighbours). They are not
the length of any voice's audio, but they carry the context effects (phrase-final
lengthening, unstressed reduction) that plain phone counts miss; each voice's length model
learns how its own timing relates to them.
"""

from __future__ import annotations

import ctypes
import functools
import threading
from dataclasses import dataclass

from castwright.speech.engines import flite_library as flite_module
from castwright.speech.engines.flite_library import FliteLibrary, FliteLibraryError

__all__ = ["FliteFront", "Segment", "flite_front"]

_DURATION_VOICE = "kal"  # a diphone voice: its front end runs the segment duration model
_CACHED_PIECES = 4096
_VOID_P = ctypes.c_void_p
_UTTFUNC = ctypes.CFUNCTYPE(_VOID_P, _VOID_P)


def _return_utterance(utterance: int | None) -> int | None:
    return utterance


_NO_WAVEFORM = _UTTFUNC(_return_utterance)  # a wave synthesis step that does nothing


_SIGNATURES: dict[str, tuple[type | None, list[type]]] = {
    "new_utterance": (_VOID_P, []),
    "utt_set_input_text": (None, [_VOID_P, ctypes.c_char_p]),
    "utt_init": (_VOID_P, [_VOID_P, _VOID_P]),
    "utt_synth": (_VOID_P, [_VOID_P]),
    "delete_utterance": (None, [_VOID_P]),
    "uttfunc_val": (_VOID_P, [_VOID_P]),
    "feat_set": (None, [_VOID_P, ctypes.c_char_p, _VOID_P]),
    "utt_relation": (_VOID_P, [_VOID_P, ctypes.c_char_p]),
    "relation_head": (_VOID_P, [_VOID_P]),
    "item_next": (_VOID_P, [_VOID_P]),
    "item_feat_present": (ctypes.c_int, [_VOID_P, ctypes.c_char_p]),
    "item_feat_string": (ctypes.c_char_p, [_VOID_P, ctypes.c_char_p]),
    "item_feat_float": (ctypes.c_float, [_VOID_P, ctypes.c_char_p]),
    "ffeature_string": (ctypes.c_char_p, [_VOID_P, ctypes.c_char_p]),
}


@dataclass(frozen=True)
class Segment:
    name: str  # Flite's phone name; "pau" for a pause
    stressed: bool
    boundary: int  # the syllable's break: 0 inside a word, 1 word end, 3 phrase, 4 utterance
    seconds: float  # the US English duration model's length for it


class FliteFront:
    """Text to Flite segments. Thread-safe: it shares libflite's process-wide lock."""

    def __init__(self, library: FliteLibrary) -> None:
        if _DURATION_VOICE not in library.voice_names:
            raise FliteLibraryError(f"flite's {_DURATION_VOICE} voice is not installed")
        # A handle of our own on the same loaded library, so our signatures are ours.
        self._lib = ctypes.CDLL(flite_module._LIBRARY, mode=ctypes.RTLD_GLOBAL)
        for name, (restype, argtypes) in _SIGNATURES.items():
            function = getattr(self._lib, name)
            function.restype = restype
            function.argtypes = argtypes
        self._library = library
        # A script is predicted again on every keystroke, and only the piece being edited
        # changes: the others come from here.
        self.segments = functools.lru_cache(maxsize=_CACHED_PIECES)(self._segments)

    def _segments(self, text: str) -> tuple[Segment, ...]:
        """The segments Flite would speak for ``text`` as one utterance, pauses included."""
        if not text.strip():
            return ()
        lib = self._lib
        encoded = text.replace("\x00", " ").encode("utf-8")
        found: list[Segment] = []
        with flite_module._LOCK:
            utterance = lib.new_utterance()
            try:
                lib.utt_set_input_text(utterance, encoded)
                lib.utt_init(utterance, self._library._voice(_DURATION_VOICE))
                features = ctypes.cast(utterance, ctypes.POINTER(_VOID_P))[0]
                skip = lib.uttfunc_val(ctypes.cast(_NO_WAVEFORM, _VOID_P))
                lib.feat_set(features, b"wave_synth_func", skip)
                lib.utt_synth(utterance)
                relation = lib.utt_relation(utterance, b"Segment")
                item = lib.relation_head(relation) if relation else None
                previous = 0.0
                while item:
                    name = (lib.item_feat_string(item, b"name") or b"").decode()
                    end = (
                        float(lib.item_feat_float(item, b"end"))
                        if lib.item_feat_present(item, b"end")
                        else previous
                    )
                    stressed, boundary = False, 0
                    if name != "pau":
                        stress = lib.ffeature_string(item, b"R:SylStructure.parent.stress")
                        brk = lib.ffeature_string(item, b"R:SylStructure.parent.syl_break")
                        stressed = stress == b"1"
                        boundary = int(brk) if brk and brk.isdigit() else 0
                    found.append(Segment(name, stressed, boundary, max(0.0, end - previous)))
                    previous = max(previous, end)
                    item = lib.item_next(item)
            finally:
                lib.delete_utterance(utterance)
        return tuple(found)


_LOCK = threading.Lock()
_FRONT: list[FliteFront | None] = []


def flite_front() -> FliteFront | None:
    """The process-wide front end, or None where libflite (or its kal voice) is missing."""
    with _LOCK:
        if not _FRONT:
            try:
                _FRONT.append(FliteFront(flite_module.flite_library()))
            except (FliteLibraryError, OSError, AttributeError):
                _FRONT.append(None)
        return _FRONT[0]
