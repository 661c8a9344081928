"""The default voice per language is the most natural one installed, with honest quality tiers.

Installations are simulated with real engines: espeak-ng alone, then Flite, Festival, and the
neural engines with tiny models (support/tiny_voices.py) in a temporary voices directory.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from castwright.config import SpeechSettings
from castwright.speech.engines import (
    Engine,
    EngineRegistry,
    EngineUnavailable,
    EspeakEngine,
    FestivalEngine,
    FliteEngine,
)
from castwright.speech.engines.kokoro import KokoroEngine
from castwright.speech.engines.piper import PiperEngine
from castwright.voices.catalogue import VoiceCatalogue
from castwright.voices.personas import PERSONAS
from castwright.voices.quality import TIERS
from castwright.voices.service import VoiceQuery, search_voices
from support.tiny_voices import write_kokoro_voice, write_piper_voice


def _system(name: str) -> Engine:
    try:
        return FestivalEngine() if name == "festival" else FliteEngine()
    except EngineUnavailable as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="module")
def espeak() -> EspeakEngine:
    return EspeakEngine()


@pytest.fixture(scope="module")
def voices(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("voices")
    for key, dataset, language in (
        ("en_US-lessac-medium", "lessac", "en_US"),
        ("de_DE-thorsten-medium", "thorsten", "de_DE"),
    ):
        write_piper_voice(root / "piper" / key, key, dataset, language)
    write_kokoro_voice(root, {"af_heart": 0.1, "bm_george": -0.1})
    return root


def catalogue(*engines: Engine, default: str = "") -> VoiceCatalogue:
    return VoiceCatalogue.build(EngineRegistry(engines), SpeechSettings(default_voice=default))


def test_espeak_alone_defaults_to_its_first_english_persona(espeak: EspeakEngine) -> None:
    voices = catalogue(espeak)
    assert voices.default_alias == "isaac"
    assert voices.resolve(None).tier == "robotic"
    assert voices.default_for("de").alias == "espeak-ng-de"  # type: ignore[union-attr]
    assert voices.default_for("xx-nowhere") is None


def test_each_system_engine_raises_the_default(espeak: EspeakEngine) -> None:
    flite = _system("flite")
    assert catalogue(espeak, flite).default_alias == "maya"  # Flite slt: standard
    festival = _system("festival")
    with_festival = catalogue(espeak, flite, festival)
    assert with_festival.default_alias == "sloane"  # Festival HTS: natural
    assert with_festival.resolve(None).tier == "natural"
    assert with_festival.default_for("en-GB").alias == "angus"  # type: ignore[union-attr]


def test_a_neural_voice_becomes_the_default_once_installed(
    espeak: EspeakEngine, voices: Path
) -> None:
    piper = PiperEngine(voices)
    with_piper = catalogue(espeak, piper)
    assert with_piper.default_alias == "leslie"
    assert with_piper.resolve(None).tier == "neural"
    german = with_piper.default_for("de-DE")
    assert german is not None and german.engine == "piper"  # beats espeak-ng's German
    kokoro = KokoroEngine(voices)
    both = catalogue(espeak, piper, kokoro)
    assert both.default_alias == "harper"  # Kokoro's personas are listed first
    assert both.default_for("en-GB").alias == "george"  # type: ignore[union-attr]
    assert both.default_for("en-US").alias == "harper"  # type: ignore[union-attr]


def test_a_configured_default_wins_and_a_missing_one_falls_back(
    espeak: EspeakEngine, voices: Path
) -> None:
    piper = PiperEngine(voices)
    assert catalogue(espeak, piper, default="isaac").default_alias == "isaac"
    assert catalogue(espeak, piper, default="not-installed").default_alias == "leslie"


def test_every_voice_has_an_honest_tier(espeak: EspeakEngine, voices: Path) -> None:
    engines: list[Engine] = [espeak, PiperEngine(voices), KokoroEngine(voices)]
    for name in ("flite", "festival"):
        try:
            engines.append(FestivalEngine() if name == "festival" else FliteEngine())
        except EngineUnavailable:
            continue
    voices_here = catalogue(*engines)
    expected = {
        "harper": "neural",
        "leslie": "neural",
        "sloane": "natural",
        "maya": "standard",
        "ryan": "standard",
        "angus": "standard",
        "calvin": "robotic",
        "isaac": "robotic",
        "sara": "robotic",
    }
    for alias, tier in expected.items():
        voice = voices_here.find(alias)
        if voice is not None:
            assert voice.tier == tier, alias
    assert {voice.tier for voice in voices_here} <= set(TIERS)


def test_personas_have_distinct_human_names() -> None:
    aliases = [persona.alias for persona in PERSONAS]
    names = [persona.display_name for persona in PERSONAS]
    assert len(set(aliases)) == len(aliases) and len(set(names)) == len(names)
    for persona in PERSONAS:
        assert persona.display_name.isalpha() and persona.display_name[0].isupper()
        assert persona.gender in {"female", "male"} and persona.description
        assert persona.age_bracket in {"young", "adult", "senior"}
    engines = {persona.engine for persona in PERSONAS}
    assert engines == {"espeak-ng", "festival", "flite", "piper", "kokoro"}


def test_voices_sort_most_natural_first(espeak: EspeakEngine, voices: Path) -> None:
    both = catalogue(espeak, PiperEngine(voices), KokoroEngine(voices))
    query = VoiceQuery(scalars={"language": "english"}, lists={}, sort="-quality")
    ranked = [voice.tier for voice in search_voices(both, query).voices]
    assert ranked[0] == "neural" and ranked[-1] == "robotic"
    assert ranked == sorted(ranked, key=TIERS.index)
    natural = search_voices(both, VoiceQuery(scalars={"quality": "neural"}, lists={})).voices
    assert {voice.engine for voice in natural} == {"piper", "kokoro"}
