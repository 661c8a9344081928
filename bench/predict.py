"""Benchmark 13 (issue #5): length prediction of a 1,000-word script, next to rendering it.

Through the API of a server of its own: ``POST /speech/predict`` for the script, many times
(the first call, which fits the voice's length model, is timed apart), then the same script
rendered with ``POST /speech/tts`` (``useCache`` false, so each render synthesises) a few
times. The predicted length is set against the rendered one.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.client import Client
from bench.servers import CastwrightServer
from bench.stats import median, percentile
from bench.synthesis import VOICE, audio_seconds, create_script, finish_speech, ten_minute_text

__all__ = ["PredictResult", "predict_latency", "predict_section", "thousand_words"]

Log = Callable[[str], None]
WORDS = 1000


def thousand_words() -> str:
    """The first 1,000 words of the benchmark's ten-minute text, ending on a full stop."""
    words = ten_minute_text().split()[:WORDS]
    text = " ".join(words)
    return text if text.endswith(".") else text + "."


@dataclass
class PredictResult:
    words: int
    first_call_ms: float  # includes fitting the voice's model (calibration renders)
    predict_ms: list[float] = field(default_factory=list)
    render_s: list[float] = field(default_factory=list)
    predicted_seconds: float = 0.0
    rendered_seconds: float = 0.0

    @property
    def error(self) -> float:
        return abs(self.predicted_seconds - self.rendered_seconds) / self.rendered_seconds


def _predict(client: Client, text: str) -> tuple[float, float]:
    started = time.perf_counter()
    reply = client.post("/speech/predict", {"text": text, "voice": VOICE})
    elapsed = time.perf_counter() - started
    if reply.status != 200:
        raise RuntimeError(f"POST /speech/predict: {reply.status} {reply.body[:300]!r}")
    return elapsed * 1000, float(reply.data()["length"])


def predict_latency(
    work: Path,
    requests: int,
    renders: int,
    log: Log,
    on_cleanup: Callable[[Callable[[], None]], None],
) -> PredictResult:
    text = thousand_words()
    server = CastwrightServer(work / "data")
    on_cleanup(server.stop)
    server.start()
    with Client(server.port, server.api_key, timeout=600) as client:
        first_ms, predicted = _predict(client, text)
        result = PredictResult(len(text.split()), first_ms, predicted_seconds=predicted)
        log(f"  first call (fits the {VOICE} model): {first_ms:.0f} ms")
        for _ in range(requests):
            result.predict_ms.append(_predict(client, text)[0])
        log(
            f"  predict p50 {percentile(result.predict_ms, 50):.1f} ms, "
            f"p99 {percentile(result.predict_ms, 99):.1f} ms ({requests} calls)"
        )
        script_id = create_script(client, text, "bench-predict")
        for _ in range(renders):
            started = time.perf_counter()
            body = {"scriptId": script_id, "voice": VOICE, "sync": True, "useCache": False}
            speech = finish_speech(client, client.post("/speech/tts", body))
            result.render_s.append(time.perf_counter() - started)
            result.rendered_seconds = audio_seconds(speech)
        log(
            f"  render median {median(result.render_s):.2f} s for "
            f"{result.rendered_seconds:.1f} s of audio; predicted {predicted:.1f} s "
            f"({result.error:.1%} off)"
        )
    server.stop()
    return result


def predict_section(p: PredictResult) -> list[str]:
    p50, p99 = percentile(p.predict_ms, 50), percentile(p.predict_ms, 99)
    render = median(p.render_s)
    return [
        "## 13. Length prediction (issue #5)",
        "",
        f"A {p.words:,}-word script (the ten-minute text's first 1,000 words), voice {VOICE}: "
        f"`POST /speech/predict` {len(p.predict_ms)} times against `POST /speech/tts` with "
        f"`useCache` false {len(p.render_s)} times, on a server of its own. The first "
        "prediction fits the voice's length model (renders its calibration texts once; the "
        "model is then kept in the data directory) and is shown apart.",
        "",
        "| | p50 | p99 | median |",
        "|---|---:|---:|---:|",
        f"| predict | {p50:.1f} ms | {p99:.1f} ms | |",
        f"| render the same script | | | {render:.2f} s |",
        f"| first predict (fits the model) | | | {p.first_call_ms / 1000:.2f} s |",
        "",
        f"Prediction is {render * 1000 / p50:.0f} times faster than rendering. Predicted "
        f"{p.predicted_seconds:.1f} s, rendered {p.rendered_seconds:.1f} s: "
        f"{p.error:.1%} off.",
    ]
