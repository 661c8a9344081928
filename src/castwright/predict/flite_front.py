"""Flite's own front end, for length prediction: the phones a text becomes, without
synthesising it.

Flite and Festival read text their own way (``$12.05`` is "twelve dollars five", a phone
number digit by digit with no pauses, their own phrase breaks), which espeak-ng's front end
does not know. libflite runs the whole front end (tokens, numbers, lexicon, phrasing, pauses)
and then a segment duration model in well under a millisecond per sentence; only the
waveform synthesis is costly, and ``FliteLibrary.segments`` skips it.

A Flite voice is described by its own duration model: a clustergen voice's segments add up
to the length of its audio (to a frame or so), a diphone voice's to a steady share of it.
Other engines' voices (Festival's) get the durations of Flite's ``kal`` voice, whose model is
the US English one (a z-score tree over each phone's context: stress, phrase position,
neighbours): not the length of their audio, but they carry the context effects (phrase-final
lengthening, unstressed reduction) that plain phone counts miss, and each voice's length
model learns how its own timing relates to them.
"""

from __future__ import annotations

import functools
import threading

from castwright.speech.engines.flite_library import (
    FliteLibrary,
    FliteLibraryError,
    Segment,
    flite_library,
)

__all__ = ["DEFAULT_VOICE", "FliteFront", "Segment", "flite_front"]

DEFAULT_VOICE = "kal"  # the US English duration model, for voices Flite does not have
_CACHED_PIECES = 4096


class FliteFront:
    """Text to Flite segments, cached. Thread-safe: libflite serialises its own calls."""

    def __init__(self, library: FliteLibrary) -> None:
        if DEFAULT_VOICE not in library.voice_names:
            raise FliteLibraryError(f"flite's {DEFAULT_VOICE} voice is not installed")
        self._library = library
        # A script is predicted again on every keystroke, and only the piece being edited
        # changes: the others come from here.
        self._cached = functools.lru_cache(maxsize=_CACHED_PIECES)(library.segments)

    def duration_voice(self, voice: str) -> str:
        """The Flite voice whose durations describe ``voice``: itself where Flite has it, else
        Flite's voice of the same speaker (Festival's ``cmu_us_slt_arctic_hts`` and Flite's
        ``slt`` both learnt from the CMU ARCTIC slt recordings), else ``kal``."""
        names = self._library.voice_names
        if voice in names:
            return voice
        return next((part for part in voice.split("_") if part in names), DEFAULT_VOICE)

    def exact(self, voice: str) -> bool:
        """Whether ``voice``'s own segments add up to the length of its audio."""
        return self._library.exact_durations(self.duration_voice(voice))

    def segments(self, text: str, voice: str = DEFAULT_VOICE) -> tuple[Segment, ...]:
        """The segments Flite's ``voice`` would speak for ``text`` as one utterance, pauses
        included, with that voice's durations (see ``FliteLibrary.segments``)."""
        return self._cached(text, self.duration_voice(voice))


_LOCK = threading.Lock()
_FRONT: list[FliteFront | None] = []


def flite_front() -> FliteFront | None:
    """The process-wide front end, or None where libflite (or its kal voice) is missing."""
    with _LOCK:
        if not _FRONT:
            try:
                _FRONT.append(FliteFront(flite_library()))
            except (FliteLibraryError, OSError, AttributeError):
                _FRONT.append(None)
        return _FRONT[0]
