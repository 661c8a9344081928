"""Text to phonemes for the neural engines, through the espeak-ng library already loaded.

Piper and Kokoro were both trained on espeak-ng's IPA, so both are fed it from the in-process
binding (espeak_binding.py): no phonemizer package, no second copy of espeak-ng. Clauses keep
the punctuation that ended them, which both models were trained to hear.
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass

from castwright.speech.engines.espeak import EspeakEngine

__all__ = ["Sentence", "espeak_voice_name", "sentences"]

_SENTENCE_END = ".!?"
_ENGINE: EspeakEngine | None = None
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Sentence:
    """One sentence as IPA: clauses joined by their punctuation and a space."""

    phonemes: str


def _espeak() -> EspeakEngine:
    global _ENGINE
    with _LOCK:
        if _ENGINE is None:
            _ENGINE = EspeakEngine()
        return _ENGINE


def espeak_voice_name(language: str) -> str:
    """The espeak-ng voice for a language tag ("en-us" -> "gmw/en-US"); Invalid if unknown."""
    return _espeak().resolve(language)


def sentences(text: str, language: str, *, decompose: bool = True) -> list[Sentence]:
    """``text`` in ``language`` (an espeak-ng tag, e.g. "en-us") as IPA sentences.

    decompose: Unicode NFD, as piper-phonemize hands Piper's models their code points;
    Kokoro's vocabulary is keyed by the characters as espeak-ng writes them.
    """
    engine = _espeak()
    clauses = engine.library.phonemes(text, engine.resolve(language))
    found: list[Sentence] = []
    current: list[str] = []
    for phonemes, terminator in clauses:
        if phonemes or terminator:
            current.append(f"{phonemes}{terminator}")
        if terminator in _SENTENCE_END and current:
            found.append(Sentence(_normalise(" ".join(current), decompose)))
            current = []
    if current:
        found.append(Sentence(_normalise(" ".join(current), decompose)))
    return [sentence for sentence in found if sentence.phonemes.strip()]


def _normalise(phonemes: str, decompose: bool) -> str:
    return unicodedata.normalize("NFD", phonemes.strip()) if decompose else phonemes.strip()
