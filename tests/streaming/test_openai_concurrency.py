"""Many different requests at once: each gets its own audio, whole and clean."""

from __future__ import annotations

import itertools
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import openai
import pytest

from support.streaming import decode_stream

pytestmark = pytest.mark.e2e

CLIENTS = 8
WORDS = ("apple", "river", "mountain", "lantern", "harbour", "meadow", "violin", "copper")


def _text(index: int) -> str:
    """Texts of clearly different lengths (2 to 16 clauses) and words."""
    word = WORDS[index]
    return " ".join(f"The {word} number {n} is here." for n in range(2 * (index + 1)))


def _envelope(samples: np.ndarray, rate: int) -> np.ndarray:
    """Level in 20 ms frames: a fingerprint of what was said and when."""
    frame = rate // 50
    usable = samples[: samples.size // frame * frame].reshape(-1, frame)
    return np.sqrt((usable**2).mean(axis=1))


def _similarity(a: np.ndarray, b: np.ndarray, max_shift: int = 25) -> float:
    """Correlation of two envelopes over the longer one's length (what one lacks counts as
    silence), at the best alignment within half a second: espeak-ng's random variation can
    move a whole stream by a few frames, which must not read as different speech."""
    n = max(a.size, b.size) + max_shift
    a = np.pad(a, (0, n - a.size))
    b = np.pad(b, (0, n - b.size))
    return max(
        float(np.corrcoef(a, np.roll(b, shift))[0, 1]) for shift in range(-max_shift, max_shift + 1)
    )


def test_simultaneous_requests_each_get_their_own_audio(speech_client: openai.OpenAI) -> None:
    def speak(index: int) -> tuple[np.ndarray, int]:
        data = speech_client.audio.speech.create(
            model="tts-1", voice="alloy", input=_text(index), response_format="wav"
        ).content
        return decode_stream(data, "wav")

    alone = [speak(i) for i in range(CLIENTS)]
    with ThreadPoolExecutor(CLIENTS) as pool:
        together = list(pool.map(speak, range(CLIENTS)))

    durations = [s.size / r for s, r in alone]
    assert all(b - a > 1.0 for a, b in itertools.pairwise(durations)), durations
    for index, ((samples, rate), (_, reference_rate)) in enumerate(
        zip(together, alone, strict=True)
    ):
        assert rate == reference_rate
        # espeak-ng's voice variants draw random numbers, so a sentence's length varies by a
        # few hundred samples between renders (measured up to 0.8 % of a text): within 1 %.
        tolerance = max(0.05, 0.01 * durations[index])
        assert samples.size / rate == pytest.approx(durations[index], abs=tolerance), index
        envelope = _envelope(samples, rate)
        scores = [_similarity(envelope, _envelope(r, rr)) for r, rr in alone]
        assert int(np.argmax(scores)) == index, (index, scores)
        # ...and it is not some other request's audio that happens to be as long.
        for other in range(CLIENTS):
            if other != index:
                assert abs(samples.size / rate - durations[other]) > 0.5
