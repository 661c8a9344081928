"""Festival through long-lived ``festival --pipe`` processes: reused, private, self-healing."""

from __future__ import annotations

import os
import shutil
import signal
import threading

import numpy as np
import pytest

from castwright.speech.engines import FestivalEngine, SynthesisParams
from castwright.speech.engines.festival_pool import FestivalError, FestivalPool

pytestmark = pytest.mark.skipif(
    shutil.which("festival") is None,
    reason="festival not installed: apt-get install festival festvox-us-slt-hts",
)
SLT = "cmu_us_slt_arctic_hts"
SENTENCE = "The quick brown fox jumps over the lazy dog."


@pytest.fixture
def engine() -> FestivalEngine:
    festival = FestivalEngine(processes=2)
    yield festival  # type: ignore[misc]
    festival.close()


def test_processes_start_on_demand_and_are_reused(engine: FestivalEngine) -> None:
    assert engine.pool.running == 0  # building the engine starts nothing
    first = engine.synthesize(SENTENCE, SLT, SynthesisParams())
    for _ in range(3):
        again = engine.synthesize(SENTENCE, SLT, SynthesisParams())
        assert again.frames == first.frames  # deterministic, and no state carried over
    assert engine.pool.running == 1  # one caller at a time needs one process


def test_concurrent_callers_get_at_most_the_pool_size(engine: FestivalEngine) -> None:
    results: list[int] = []
    threads = [
        threading.Thread(
            target=lambda: results.append(
                engine.synthesize(SENTENCE, SLT, SynthesisParams()).frames
            )
        )
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(results) == 4 and len(set(results)) == 1
    assert 1 <= engine.pool.running <= 2


def test_rate_settings_do_not_leak_into_the_next_request(engine: FestivalEngine) -> None:
    normal = engine.synthesize(SENTENCE, SLT, SynthesisParams())
    engine.synthesize(SENTENCE, SLT, SynthesisParams(rate=2.0))
    assert engine.synthesize(SENTENCE, SLT, SynthesisParams()).frames == normal.frames


def test_text_that_looks_like_scheme_is_spoken_not_run(engine: FestivalEngine) -> None:
    audio = engine.synthesize('(quit) ")(system "touch /tmp/x")', SLT, SynthesisParams())
    assert audio.duration > 1.0 and float(np.abs(audio.samples).max()) > 0.05
    assert engine.pool.running == 1  # the process is still there


def test_a_dead_process_is_replaced(engine: FestivalEngine) -> None:
    engine.synthesize(SENTENCE, SLT, SynthesisParams())
    (process,) = engine.pool._all
    os.kill(process._process.pid, signal.SIGKILL)
    process._process.wait()
    # The dead one is noticed when it is taken and a fresh one speaks instead.
    audio = engine.synthesize(SENTENCE, SLT, SynthesisParams())
    assert audio.duration > 1.0 and engine.pool.running == 1


def test_scheme_errors_are_reported_and_the_process_carries_on() -> None:
    festival = shutil.which("festival")
    assert festival is not None
    pool = FestivalPool(festival, 1)
    try:
        with pool.lease() as process, pytest.raises(FestivalError, match="unbound variable"):
            process.send("(voice_no_such_voice)", timeout=30)
        with pool.lease() as process:
            assert process.alive
            process.send("(voice_cmu_us_slt_arctic_hts)", timeout=60)
        assert pool.running == 1
    finally:
        pool.close()
    assert pool.running == 0
