"""Benchmark 13 (issue #5): length prediction of a 1,000-word script, next to rendering it.

Through the API of a server of its own, for one voice of each engine family that is
installed (espeak-ng ``isaac``, Flite ``maya``, Festival ``sloane``):

* the first ``POST /speech/predict`` of the script, which fits the voice's length model
  (renders its calibration texts once), timed apart;
* the same script predicted again, many times: what an editor pays on every keystroke that
  does not change the text the front ends read (pieces already read are cached);
* the script with one word inserted, at a different place each call: an edit, which makes
  the front end read the piece it lands in (and any piece the new length regroups);
* the script read afresh (a different word before every sentence, each call): what opening a
  script costs when no piece of it was read before;
* the script rendered with ``POST /speech/tts`` (``useCache`` false), and the predicted
  length set against the rendered one.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.client import Client
from bench.servers import CastwrightServer
from bench.stats import median, percentile
from bench.synthesis import audio_seconds, create_script, finish_speech, ten_minute_text

__all__ = ["VOICES", "PredictResult", "VoicePrediction", "predict_latency", "predict_section"]

Log = Callable[[str], None]
WORDS = 1000
VOICES = (("isaac", "espeak-ng"), ("maya", "Flite"), ("sloane", "Festival"))
FRESH_READS = 3  # fresh reads are slow for Festival (its front end, a piece at a time)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_FILLERS = ("So,", "Now,", "Well,", "Then,", "Yes,")


def thousand_words() -> str:
    """The first 1,000 words of the benchmark's ten-minute text, ending on a full stop."""
    words = ten_minute_text().split()[:WORDS]
    text = " ".join(words)
    return text if text.endswith(".") else text + "."


def _fresh(read: int) -> str:
    """The script with a word of its own before every sentence: no piece of it was read."""
    filler = _FILLERS[read % len(_FILLERS)]
    return " ".join(f"{filler} {sentence}" for sentence in _SENTENCE_END.split(thousand_words()))


def _edited(text: str, call: int) -> str:
    """``text`` with one word inserted, somewhere else on each call."""
    words = text.split()
    at = 1 + (call * 37) % (len(words) - 1)
    return " ".join([*words[:at], "really", *words[at:]])


@dataclass
class VoicePrediction:
    voice: str
    family: str
    first_call_ms: float  # includes fitting the voice's model (calibration renders)
    repeat_ms: list[float] = field(default_factory=list)
    edit_ms: list[float] = field(default_factory=list)
    fresh_ms: list[float] = field(default_factory=list)
    render_s: list[float] = field(default_factory=list)
    predicted_seconds: float = 0.0
    rendered_seconds: float = 0.0

    @property
    def error(self) -> float:
        return abs(self.predicted_seconds - self.rendered_seconds) / self.rendered_seconds


@dataclass
class PredictResult:
    words: int
    voices: list[VoicePrediction] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # families not installed here


def _predict(client: Client, text: str, voice: str) -> tuple[float, float]:
    started = time.perf_counter()
    reply = client.post("/speech/predict", {"text": text, "voice": voice})
    elapsed = time.perf_counter() - started
    if reply.status != 200:
        raise RuntimeError(f"POST /speech/predict: {reply.status} {reply.body[:300]!r}")
    return elapsed * 1000, float(reply.data()["length"])


def _installed(client: Client) -> set[str]:
    reply = client.get("/speech/predict/voices")
    if reply.status != 200:
        raise RuntimeError(f"GET /speech/predict/voices: {reply.status} {reply.body[:300]!r}")
    data = reply.data()
    names = data if isinstance(data, list) else data.get("voices", [])
    return {str(name).lower() for name in names}


def _one_voice(
    client: Client, voice: str, family: str, requests: int, renders: int, log: Log
) -> VoicePrediction:
    text = thousand_words()
    first_ms, predicted = _predict(client, text, voice)
    result = VoicePrediction(voice, family, first_ms, predicted_seconds=predicted)
    log(f"  {voice} ({family}): first call (fits the model) {first_ms / 1000:.1f} s")
    for _ in range(requests):
        result.repeat_ms.append(_predict(client, text, voice)[0])
    for call in range(max(5, requests // 4)):
        result.edit_ms.append(_predict(client, _edited(text, call), voice)[0])
    for read in range(FRESH_READS):
        result.fresh_ms.append(_predict(client, _fresh(read), voice)[0])
    script_id = create_script(client, text, f"bench-predict-{voice}")
    for _ in range(renders):
        started = time.perf_counter()
        body = {"scriptId": script_id, "voice": voice, "sync": True, "useCache": False}
        speech = finish_speech(client, client.post("/speech/tts", body))
        result.render_s.append(time.perf_counter() - started)
        result.rendered_seconds = audio_seconds(speech)
    log(
        f"    predict p50 {percentile(result.repeat_ms, 50):.1f} ms (repeat), "
        f"{percentile(result.edit_ms, 50):.1f} ms (one edit), "
        f"{median(result.fresh_ms):.0f} ms (fresh); render {median(result.render_s):.2f} s "
        f"for {result.rendered_seconds:.1f} s of audio; predicted {predicted:.1f} s "
        f"({result.error:.1%} off)"
    )
    return result


def predict_latency(
    work: Path,
    requests: int,
    renders: int,
    log: Log,
    on_cleanup: Callable[[Callable[[], None]], None],
) -> PredictResult:
    result = PredictResult(len(thousand_words().split()))
    server = CastwrightServer(work / "data")
    on_cleanup(server.stop)
    server.start()
    with Client(server.port, server.api_key, timeout=900) as client:
        installed = _installed(client)
        for voice, family in VOICES:
            if voice not in installed:
                result.missing.append(f"{family} ({voice})")
                log(f"  {voice} ({family}): not installed here, skipped")
                continue
            # Festival renders at a few times real time: one render is enough for it.
            count = renders if family != "Festival" else 1
            result.voices.append(_one_voice(client, voice, family, requests, count, log))
    server.stop()
    return result


def predict_section(p: PredictResult) -> list[str]:
    lines = [
        "## 13. Length prediction (issue #5)",
        "",
        f"A {p.words:,}-word script (the ten-minute text's first 1,000 words) on a server of "
        "its own, for one voice of each engine family: `POST /speech/predict` of the same "
        "script again and again (pieces the front end already read are cached); with one word "
        "inserted, somewhere else each call (the edited piece is read again); 1,000 words "
        "read afresh (a different word before every sentence each call: no piece read before); "
        "and `POST /speech/tts` of the script with `useCache` false. The first prediction "
        "fits the voice's length model (renders its calibration texts once; the model is then "
        "kept in the data directory) and is shown apart.",
        "",
        "| voice | predict again: p50 / p99 | one edit: p50 / p99 | read afresh: median "
        "| render the script | render / predict again | first predict (fits the model) "
        "| predicted / rendered | off |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for v in p.voices:
        render = median(v.render_s)
        p50 = percentile(v.repeat_ms, 50)
        lines.append(
            f"| {v.voice} ({v.family}) | {p50:.1f} / {percentile(v.repeat_ms, 99):.1f} ms "
            f"| {percentile(v.edit_ms, 50):.1f} / {percentile(v.edit_ms, 99):.1f} ms "
            f"| {median(v.fresh_ms):.0f} ms | {render:.2f} s | {render * 1000 / p50:,.0f}x "
            f"| {v.first_call_ms / 1000:.1f} s "
            f"| {v.predicted_seconds:.1f} s / {v.rendered_seconds:.1f} s | {v.error:.1%} |"
        )
    if p.missing:
        lines += ["", f"Not installed here, so not measured: {', '.join(p.missing)}."]
    return lines
