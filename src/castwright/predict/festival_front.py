"""Festival's own front end, for length prediction: how Festival reads a text, without
synthesising it.

Festival reads text its own way (its number and symbol rules, its phrasing, one utterance per
sentence) and neither espeak-ng's nor Flite's front end knows those ways well enough: a
percentage or a price read differently is a tenth of the sentence's length. So Festival's
voices are described by Festival itself: a long-lived ``festival --pipe`` (the engine's
kind, speech/engines/festival_pool.py) runs each text through the front end only (tokens,
words, phrasing, pauses, segments) and reports the segments and words of every utterance.
That takes tens of milliseconds a piece, against seconds to synthesise it; pieces are cached,
so a script predicted again on every keystroke only reads the piece being edited.
"""

from __future__ import annotations

import atexit
import functools
import os
import re
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from castwright.errors import ServiceUnavailable
from castwright.speech.engines.festival_pool import FestivalError, FestivalProcess
from castwright.speech.engines.flite_library import Segment

__all__ = ["FestivalFront", "FestivalReading", "festival_front"]

_CACHED_PIECES = 4096
_TIMEOUT = 30.0
_VOICE_NAME = re.compile(r"^[A-Za-z0-9_]+$")
_SAFE_PATH = re.compile(r"^[A-Za-z0-9_./-]+$")

# The front end of text2wave's tts_file, utterance by utterance, reported on stderr: one
# line of segments (name:stress:break:end) and one of words per utterance.
_SETUP = r"""
(define (castwright_front utt)
  (Token_POS utt) (Token utt) (POS utt) (Phrasify utt) (Word utt)
  (Pauses utt) (Intonation utt) (PostLex utt) (Duration utt)
  (format stderr "CWSEG")
  (mapcar (lambda (s) (format stderr " %s:%s:%s:%f" (item.name s)
      (item.feat s "R:SylStructure.parent.stress")
      (item.feat s "R:SylStructure.parent.syl_break")
      (item.feat s "end")))
    (utt.relation.items utt 'Segment))
  (format stderr "\nCWWORD")
  (mapcar (lambda (w) (format stderr " %s" (item.name w))) (utt.relation.items utt 'Word))
  (format stderr "\n")
  utt)
(define (castwright_read textfile)
  (set! tts_hooks (list castwright_front))
  (tts_file textfile nil))
"""


@dataclass(frozen=True)
class FestivalReading:
    utterances: tuple[tuple[Segment, ...], ...]  # each utterance's segments, pauses included
    words: tuple[str, ...]  # each utterance's words, as Festival reads them, space separated

    @property
    def segments(self) -> tuple[Segment, ...]:
        return tuple(s for utterance in self.utterances for s in utterance)


def _parse(lines: list[str]) -> FestivalReading:
    utterances: list[tuple[Segment, ...]] = []
    words: list[str] = []
    for line in lines:
        if line.startswith("CWWORD"):
            words.append(line[len("CWWORD") :].strip())
        elif line.startswith("CWSEG"):
            segments: list[Segment] = []
            previous = 0.0
            for field in line[len("CWSEG") :].split():
                name, stress, brk, end_text = field.rsplit(":", 3)
                try:
                    end = float(end_text)
                except ValueError:
                    end = previous
                boundary = int(brk) if brk.isdigit() else 0
                seconds = max(0.0, end - previous)
                segments.append(Segment(name, stress == "1", boundary, seconds))
                previous = max(previous, end)
            utterances.append(tuple(segments))
    return FestivalReading(tuple(utterances), tuple(words))


class FestivalFront:
    """Text to Festival's reading of it, cached. Thread-safe: one process, one reader at a
    time."""

    def __init__(self, festival: str) -> None:
        self._festival = festival
        self._process: FestivalProcess | None = None
        self._owner = os.getpid()
        self._voice = ""
        self._lock = threading.Lock()
        self._scratch = Path(tempfile.mkdtemp(prefix="castwright-predict-"))
        self.read = functools.lru_cache(maxsize=_CACHED_PIECES)(self._read)

    def _start(self) -> FestivalProcess:
        if self._process is None or not self._process.alive:
            self._process = FestivalProcess(self._festival)
            self._process.send(_SETUP, _TIMEOUT)
            self._voice = ""
        return self._process

    def _read(self, text: str, voice: str) -> FestivalReading:
        """Festival's reading of ``text`` in ``voice`` (a Festival voice name), as the engine
        speaks it: the same text file through the same ``tts_file``."""
        if not _VOICE_NAME.match(voice):
            raise ValueError(f"not a festival voice name: {voice!r}")
        if not text.strip():
            return FestivalReading((), ())
        with self._lock:
            if os.getpid() != self._owner:  # forked: the parent's pipes and files are its own
                self._owner, self._process = os.getpid(), None
                self._scratch = Path(tempfile.mkdtemp(prefix="castwright-predict-"))
            self._scratch.mkdir(mode=0o700, parents=True, exist_ok=True)
            text_file = self._scratch / "text.txt"
            if not _SAFE_PATH.match(str(text_file)):
                raise ValueError(f"unsafe path for festival: {text_file}")
            text_file.write_text(text, encoding="utf-8")
            for attempt in (1, 2):  # a process that died is replaced once
                try:
                    process = self._start()
                    if self._voice != voice:
                        process.send(f"(voice_{voice})", _TIMEOUT)
                        self._voice = voice
                    return _parse(process.send(f'(castwright_read "{text_file}")', _TIMEOUT))
                except FestivalError as error:
                    if self._process is not None:
                        self._process.close()
                    self._process = None
                    if attempt == 2:
                        raise ServiceUnavailable(
                            f"Festival's front end failed twice ({error}); length prediction "
                            "for Festival voices is unavailable until it answers again"
                        ) from error
        raise AssertionError("unreachable")

    def close(self) -> None:
        with self._lock:
            if os.getpid() != self._owner:
                return  # the parent's process and files
            if self._process is not None:
                self._process.close()
                self._process = None
            shutil.rmtree(self._scratch, ignore_errors=True)


_LOCK = threading.Lock()
_FRONT: list[FestivalFront | None] = []


def festival_front() -> FestivalFront | None:
    """The process-wide front end, or None where Festival is not installed. The process
    starts on the first reading."""
    with _LOCK:
        if not _FRONT:
            festival = shutil.which("festival")
            _FRONT.append(FestivalFront(festival) if festival else None)
            if _FRONT[0] is not None:
                atexit.register(_FRONT[0].close)
        return _FRONT[0]
