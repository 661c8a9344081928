"""Benchmark 12 (issue #11): how natural every installed English voice is, measured.

* Word error rate: a fixed set of Harvard sentences (IEEE 1969, the standard intelligibility
  list) is synthesised with every installed English voice, transcribed by an offline
  recogniser (CMU PocketSphinx with the en-US model its wheel bundles: no download) and
  compared word by word with the text. Lower is easier to understand; the recogniser's own
  errors (its language model is general English) sit under every figure alike.
* Real-time factor (synthesis time / audio time, one call per sentence, warm) and the
  sample rate each voice is delivered at.
* The engine bindings: milliseconds per sentence through a process per call (the flite and
  text2wave commands, as before issue #11) against in process (libflite) or a long-lived
  ``festival --pipe``.

Runs in-process, no server. Alone: ``python -m bench.voices_quality [--sentences N]
[--write]`` (``--write`` replaces this section of docs/benchmarks.md); ``make bench`` runs it
with the rest.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench.stats import median
from castwright.audio import AudioBuffer
from castwright.config import Settings
from castwright.dsp import resample
from castwright.speech.engines import Engine, EngineRegistry, SynthesisParams
from castwright.speech.engines.base import EngineVoice
from castwright.voices.local import local_engines
from castwright.voices.quality import tier_rank, voice_tier

__all__ = ["VoiceQualityResult", "voices_quality", "voices_section"]

Log = Callable[[str], None]

# Harvard sentences, list 1 (IEEE Recommended Practice for Speech Quality Measurements).
SENTENCES = (
    "The birch canoe slid on the smooth planks.",
    "Glue the sheet to the dark blue background.",
    "It's easy to tell the depth of a well.",
    "These days a chicken leg is a rare dish.",
    "Rice is often served in round bowls.",
    "The juice of lemons makes fine punch.",
    "The box was thrown beside the parked truck.",
    "The hogs were fed chopped corn and garbage.",
    "Four hours of steady work faced us.",
    "A large size in stockings is hard to sell.",
)
TITLE = "## 12. Voice quality"


@dataclass(frozen=True)
class VoiceRow:
    engine: str
    voice_id: str
    tier: str
    sample_rate: int
    wer: float
    rtf: float
    audio_seconds: float
    worst: str  # the recogniser's hearing of the sentence it got most wrong


@dataclass(frozen=True)
class BindingRow:
    engine: str
    voice_id: str
    per_call_ms: float  # a process per sentence (before)
    in_process_ms: float  # libflite / a long-lived festival --pipe (after)


@dataclass(frozen=True)
class VoiceQualityResult:
    recogniser: str
    sentences: int
    voices: list[VoiceRow]
    bindings: list[BindingRow]


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower().replace("'s", "s"))


def _edits(reference: list[str], heard: list[str]) -> int:
    """Word-level Levenshtein distance (substitutions, insertions, deletions)."""
    row = list(range(len(heard) + 1))
    for i, word in enumerate(reference, start=1):
        previous, row[0] = row[0], i
        for j, other in enumerate(heard, start=1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (word != other))
    return row[-1]


class _Recogniser:
    def __init__(self) -> None:
        from pocketsphinx import Decoder

        self._decoder = Decoder(loglevel="FATAL")
        self.name = "PocketSphinx 5 (bundled en-US acoustic model, general 3-gram LM)"

    def hear(self, audio: AudioBuffer) -> str:
        pcm = np.clip(resample(audio, 16000).samples[0], -1.0, 1.0)
        raw = (pcm * 32767).astype("<i2").tobytes()
        self._decoder.start_utt()
        self._decoder.process_raw(raw, full_utt=True)
        self._decoder.end_utt()
        hypothesis = self._decoder.hyp()
        return hypothesis.hypstr if hypothesis is not None else ""


def _other_script(code: str) -> bool:
    """en-Shaw (espeak-ng's Shavian-alphabet English) cannot read Latin-script sentences."""
    return any(len(part) == 4 and part.isalpha() and part != "Latn" for part in code.split("-")[1:])


def _english_voices(engines: EngineRegistry) -> list[tuple[Engine, EngineVoice]]:
    found = [
        (engine, voice)
        for engine in engines
        for voice in engine.voices()
        if voice.language_code.lower().startswith("en")
        and engine.name != "fake"
        and not _other_script(voice.language_code)
    ]
    return sorted(
        found, key=lambda pair: (-tier_rank(voice_tier(pair[1])), pair[0].name, pair[1].voice_id)
    )


def _measure(
    engine: Engine, voice: EngineVoice, sentences: tuple[str, ...], ear: _Recogniser
) -> VoiceRow:
    params = SynthesisParams()
    engine.synthesize("Warming up.", voice.voice_id, params)  # process start, model load
    errors = words = 0
    synth_seconds = audio_seconds = 0.0
    rate = 0
    worst = (-1.0, "")
    for sentence in sentences:
        started = time.perf_counter()
        audio = engine.synthesize(sentence, voice.voice_id, params)
        synth_seconds += time.perf_counter() - started
        audio_seconds += audio.duration
        rate = audio.sample_rate
        heard = ear.hear(audio)
        reference = _words(sentence)
        edits = _edits(reference, _words(heard))
        errors += edits
        words += len(reference)
        if edits / len(reference) > worst[0]:
            worst = (edits / len(reference), heard)
    return VoiceRow(
        engine.name,
        voice.voice_id,
        voice_tier(voice),
        rate,
        errors / words,
        synth_seconds / audio_seconds if audio_seconds else float("nan"),
        audio_seconds,
        worst[1],
    )


def _per_call_flite(sentence: str, voice: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run(
            ["flite", "-voice", voice, "-t", sentence, "-o", f"{scratch}/x.wav"],
            check=True,
            capture_output=True,
        )


def _per_call_text2wave(sentence: str, voice: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run(
            ["text2wave", "-eval", f"(voice_{voice})", "-o", f"{scratch}/x.wav"],
            input=sentence.encode(),
            check=True,
            capture_output=True,
        )


def _bindings(engines: EngineRegistry, sentences: tuple[str, ...]) -> list[BindingRow]:
    rows: list[BindingRow] = []
    cases = [
        ("flite", "slt", "flite", _per_call_flite),
        ("festival", "cmu_us_slt_arctic_hts", "text2wave", _per_call_text2wave),
    ]
    for name, voice, command, per_call in cases:
        if name not in engines or shutil.which(command) is None:
            continue
        engine = engines.get(name)
        engine.synthesize("Warming up.", voice, SynthesisParams())
        before: list[float] = []
        after: list[float] = []
        for sentence in sentences:
            started = time.perf_counter()
            per_call(sentence, voice)
            before.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            engine.synthesize(sentence, voice, SynthesisParams())
            after.append((time.perf_counter() - started) * 1000)
        rows.append(BindingRow(name, voice, median(before), median(after)))
    return rows


def voices_quality(
    log: Log, sentences: int = len(SENTENCES), settings: Settings | None = None
) -> VoiceQualityResult:
    """Measure every installed English voice (Settings decide which engines and neural voices)."""
    engines = local_engines(settings or Settings())
    ear = _Recogniser()
    chosen = SENTENCES[:sentences]
    rows: list[VoiceRow] = []
    for engine, voice in _english_voices(engines):
        row = _measure(engine, voice, chosen, ear)
        figures = f"WER {row.wer:.2f}, RTF {row.rtf:.3f}, {row.sample_rate} Hz"
        log(f"  {row.engine} {row.voice_id}: {figures}")
        rows.append(row)
    bindings = _bindings(engines, chosen)
    for b in bindings:
        figures = f"{b.per_call_ms:.0f} ms per call -> {b.in_process_ms:.0f} ms in process"
        log(f"  {b.engine} {b.voice_id}: {figures}")
    return VoiceQualityResult(ear.name, len(chosen), rows, bindings)


def voices_section(r: VoiceQualityResult) -> list[str]:
    lines = [
        TITLE,
        "",
        f"Every installed English voice reads the same {r.sentences} Harvard sentences; "
        f"{r.recogniser} transcribes each one and the word error rate (WER) counts "
        "substitutions, insertions and deletions against the text. The recogniser's own "
        "mistakes are in every figure alike, so compare voices with each other rather than "
        "with published WERs. RTF: synthesis time / audio time, one warm call per sentence.",
        "",
        "| engine | voice | tier | WER | RTF | sample rate | worst sentence, as heard |",
        "|---|---|---|---:|---:|---:|---|",
    ]
    for v in r.voices:
        lines.append(
            f"| {v.engine} | {v.voice_id} | {v.tier} | {v.wer:.2f} | {v.rtf:.3f} "
            f"| {v.sample_rate} Hz | {v.worst or '(nothing)'} |"
        )
    if r.bindings:
        lines += [
            "",
            "Engine bindings, median milliseconds per sentence over the same sentences: a "
            "process per call (the flite and text2wave commands, before issue #11) against "
            "in process through libflite and a long-lived `festival --pipe` (after).",
            "",
            "| engine | voice | process per call | in process | speed-up |",
            "|---|---|---:|---:|---:|",
            *(
                f"| {b.engine} | {b.voice_id} | {b.per_call_ms:.0f} ms | {b.in_process_ms:.0f} ms "
                f"| {b.per_call_ms / b.in_process_ms:.1f}x |"
                for b in r.bindings
            ),
        ]
    return lines


def _splice(document: str, section: list[str]) -> str:
    """``document`` with this benchmark's section replaced, or added before ## Machine."""
    text = "\n".join(section) + "\n"
    pattern = re.compile(rf"^{re.escape(TITLE)}\n.*?(?=^## )", re.S | re.M)
    if pattern.search(document):
        return pattern.sub(lambda _: text + "\n", document, count=1)
    marker = "\n## Machine"
    if marker in document:
        head, _, tail = document.partition(marker)
        return f"{head.rstrip()}\n\n{text}{marker}{tail}"
    return f"{document.rstrip()}\n\n{text}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sentences", type=int, default=len(SENTENCES))
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args(argv)
    result = voices_quality(print, args.sentences)
    section = voices_section(result)
    print("\n".join(section))
    if args.write:
        doc = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
        doc.write_text(_splice(doc.read_text(encoding="utf-8"), section), encoding="utf-8")
        print(f"wrote {doc}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
