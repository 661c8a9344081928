"""speech/fanout.py: long sections spread over forked helpers come out whole and in order."""

from __future__ import annotations

import io
import os
import wave
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from castwright.config import SpeechSettings
from castwright.speech.engines.registry import EngineRegistry
from castwright.speech.fanout import MIN_CHARS_PER_PART, split_work, spread
from castwright.speech.render import SectionPlan, render_section_wav
from castwright.speech.text.markup import parse_script
from castwright.speeches.planning import TtsOptions, plan_speech
from castwright.voices.catalogue import VoiceCatalogue

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


def test_split_keeps_order_and_balances_text() -> None:
    words = [f"{i:04d}" + "x" * 96 for i in range(400)]  # 100 chars each, 40,000 in all
    groups = split_work(words, len, 4)
    assert [w for g in groups for w in g] == words
    assert len(groups) == 4
    assert all(abs(sum(map(len, g)) - 10_000) <= 100 for g in groups)


def test_short_work_is_not_split() -> None:
    words = ["x" * 100] * (MIN_CHARS_PER_PART // 100 - 1)
    assert split_work(words, len, 8) == [words]
    assert len(split_work(words * 3, len, 8)) == 2  # a part only per MIN_CHARS_PER_PART


def squares(items: Sequence[int]) -> Iterator[tuple[int, int, int]]:
    for item in items:
        yield item, item * item, os.getpid()


def test_results_come_back_in_order_from_several_processes() -> None:
    work = list(range(2000))
    results = list(spread(work, lambda _: 10, squares, 3))
    assert [(i, s) for i, s, _ in results] == [(i, i * i) for i in work]
    pids = {pid for *_, pid in results}
    assert len(pids) == 3 and os.getpid() in pids


def failing(items: Sequence[int]) -> Iterator[int]:
    for item in items:
        if item == 1500:
            raise ValueError("engine crashed on 1500")
        yield item


def test_a_helpers_failure_is_raised_in_the_parent() -> None:
    with pytest.raises(RuntimeError, match="engine crashed on 1500"):
        list(spread(list(range(2000)), lambda _: 10, failing, 2))


def children() -> set[int]:
    """This process's live children (zombies included), from /proc."""
    found: set[int] = set()
    for task in Path("/proc/self/task").iterdir():
        try:
            listed = (task / "children").read_text()
        except FileNotFoundError:  # a thread that ended since the listing: no children
            continue
        found.update(int(pid) for pid in listed.split())
    return found


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_an_abandoned_spread_leaves_no_child_behind() -> None:
    before = children()
    results = spread(list(range(2000)), lambda _: 10, squares, 2)
    assert len(children() - before) == 1
    next(results)
    results.close()  # type: ignore[attr-defined]
    assert children() - before == set()


@pytest.fixture(scope="module")
def long_plan() -> tuple[SectionPlan, EngineRegistry]:
    engines = EngineRegistry.load()
    catalogue = VoiceCatalogue.build(engines, SpeechSettings())
    sentence = "The quick brown fox jumps over the lazy dog near the river bank. "
    text = sentence * 200 + "<as:break time='500ms'/>" + sentence * 100  # ~20,000 characters
    (plan,) = plan_speech(parse_script(text), TtsOptions(voice="isaac"), catalogue)
    return plan, engines


def wav_samples(data: bytes) -> tuple[int, np.ndarray]:
    with wave.open(io.BytesIO(data)) as reader:
        frames = reader.readframes(reader.getnframes())
        return reader.getframerate(), np.frombuffer(frames, dtype=np.int16)


def test_a_spread_render_matches_a_single_process_render(
    long_plan: tuple[SectionPlan, EngineRegistry],
) -> None:
    plan, engines = long_plan
    alone = render_section_wav(plan, engines, None, processes=1)
    spread_out = render_section_wav(plan, engines, None, processes=2)
    rate, one = wav_samples(alone.data)
    spread_rate, two = wav_samples(spread_out.data)
    assert spread_rate == rate == alone.sample_rate
    # espeak-ng's output drifts by a few samples per call; the whole is the same speech.
    assert abs(spread_out.duration - alone.duration) < 0.01 * alone.duration
    assert (
        abs(
            float(np.sqrt(np.mean(two.astype(np.float64) ** 2)))
            / float(np.sqrt(np.mean(one.astype(np.float64) ** 2)))
            - 1
        )
        < 0.02
    )
