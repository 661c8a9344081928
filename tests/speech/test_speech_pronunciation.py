# ruff: noqa: RUF001  (IPA and typographic apostrophes are what these tests are about)
"""IPA pronunciations reach espeak-ng as phonemes: the audio is the phonemes' audio, not the
letters'. Measured on real renders through the planner and the renderer."""

from __future__ import annotations

import numpy as np
import pytest

from castwright.audio import AudioBuffer
from castwright.config import Settings
from castwright.dictionaries.lexicon import Lexicon, LexiconWord, Pronunciation
from castwright.speech.engines.espeak_binding import espeak_library
from castwright.speech.engines.registry import EngineRegistry
from castwright.speech.render import SectionPlan, render_plan
from castwright.speech.text.markup import parse_script
from castwright.speeches.planning import TtsOptions, plan_speech
from castwright.voices.catalogue import VoiceCatalogue
from castwright.voices.local import local_catalogue, local_engines


@pytest.fixture(scope="module")
def engines() -> EngineRegistry:
    return local_engines(Settings(_env_file=None))


@pytest.fixture(scope="module")
def catalogue(engines: EngineRegistry) -> VoiceCatalogue:
    return local_catalogue(Settings(_env_file=None), engines)


def ipa_lexicon(ipa: str) -> Lexicon:
    return Lexicon([LexiconWord("global", "AFLR", (Pronunciation("default", ipa, "ipa"),))])


def rendered(
    catalogue: VoiceCatalogue,
    engines: EngineRegistry,
    text: str,
    alias: str = "isaac",
    lexicon: Lexicon | None = None,
) -> tuple[SectionPlan, AudioBuffer]:
    options = TtsOptions(voice=alias, lexicon=lexicon or Lexicon())
    (plan,) = plan_speech(parse_script(text), options, catalogue)
    return plan, render_plan(plan, engines, None)


@pytest.mark.parametrize("real_word", ["banana", "photograph", "Mississippi", "tomorrow"])
def test_an_ipa_entry_sounds_like_the_word_it_transcribes(
    catalogue: VoiceCatalogue, engines: EngineRegistry, real_word: str
) -> None:
    # espeak-ng's own IPA for a real word, given to a made-up one.
    ((ipa, _),) = espeak_library().text_to_phonemes(real_word, "gmw/en-US", separator="")
    plan, with_ipa = rendered(catalogue, engines, "Say AFLR now.", lexicon=ipa_lexicon(ipa))
    _, the_word = rendered(catalogue, engines, f"Say {real_word} now.")
    _, as_letters = rendered(catalogue, engines, f"Say {ipa} now.")
    assert "[[" in plan.preview, plan.preview
    # Phonemes: within 3 % of the real word. Letters read out: far longer.
    assert abs(with_ipa.duration / the_word.duration - 1) < 0.03, (
        with_ipa.duration,
        the_word.duration,
    )
    assert as_letters.duration > 1.3 * with_ipa.duration


def test_the_audio_is_espeaks_rendering_of_the_phonemes(
    catalogue: VoiceCatalogue, engines: EngineRegistry
) -> None:
    # The plain engine voice: espeak-ng's own defaults (175 wpm, pitch 50), no variant.
    plan, audio = rendered(
        catalogue, engines, "Say AFLR now.", "espeak-ng-en-us", ipa_lexicon("bɐnˈænə")
    )
    assert plan.preview == "Say [[ba#n'an@]] now."
    # Straight to the library with phoneme input on: no planner, no converter, no engine class.
    direct = espeak_library().synthesize("Say [[ba#n'an@]] now.", "gmw/en-US", phonemes=True)
    as_text = espeak_library().synthesize("Say [[ba#n'an@]] now.", "gmw/en-US", phonemes=False)
    # espeak-ng varies a render by a few samples from one call to the next (its pitch
    # flutter is random), so the comparison is on length to within 1 %.
    assert abs(audio.frames / direct.size - 1) < 0.01, (audio.frames, direct.size)
    assert as_text.size > 1.5 * direct.size  # the same string read as text is something else


def test_engines_without_phoneme_input_speak_a_respelling(
    catalogue: VoiceCatalogue, engines: EngineRegistry
) -> None:
    if catalogue.find("maya") is None:
        pytest.skip("flite is not installed")
    plan, audio = rendered(catalogue, engines, "Say AFLR now.", "maya", ipa_lexicon("bɐnˈænə"))
    assert "[[" not in plan.preview and plan.notes
    _, respelled = rendered(catalogue, engines, plan.preview, "maya")
    assert audio.duration == pytest.approx(respelled.duration, abs=0.01)
    assert float(np.abs(audio.samples).max()) > 0.05
