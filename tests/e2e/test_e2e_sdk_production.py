"""Mixing, mastering and encoding through the official `audiostack` SDK, measured by FFmpeg.

script → speech → ``Production.Mix.create`` over a built-in template with every mastering
preset → ``Delivery.Encoder.encode_mix`` with every encoder preset and every loudness preset →
``download``. Every file the SDK saves is judged by ffprobe and ffmpeg, never by Castwright's
own decoder or meter: container, codec, sample rate, channels, duration, integrated loudness
(within 0.5 LU of the target) and true peak (at or below the ceiling; 0.1 dB is left for the
meters' different oversampling and ffmpeg's one-decimal summary).

Renders are shared through one module fixture: one speech, one mix per mastering preset (each
also exporting its speech track), and ten encodes spread over three of the mixes so that each
encoder preset and each loudness preset is used at least once. The whole matrix, and the
numeric ducking and no-normalisation checks, run on SQLite. On PostgreSQL a smoke set runs
(the balanced mix, two encodes, a validation): the database changes where a production is
recorded, not what the DSP does, so repeating the matrix there would only double the time.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import audiostack
import httpx
import numpy as np
import pytest

from castwright.production.mastering import PRESETS
from castwright.production.timeline import DEFAULT_LEAD_IN, DEFAULT_TAIL
from support.api_checks import ok
from support.media import decode, level, loudness, probe

pytestmark = pytest.mark.e2e

SCRIPT = (
    "<as:section name='intro'>Welcome to Castwright radio.</as:section>"
    "<as:section name='main'>Today we mix a voice over music. The bed ducks under every word. "
    "Then it comes back between the sentences. Thanks for listening.</as:section>"
)
TEMPLATE = "acoustic"  # a built-in; the quickest of the library to render on first use
MASTERING = ("balanced", "lightducking", "heavyducking", "voiceenhanced", "musicenhanced", "none")
DURATION_TOLERANCE = 0.05  # seconds
LOUDNESS_TOLERANCE = 0.5  # LU, the promise
PEAK_TOLERANCE = 0.1  # dB over the ceiling: meters' oversampling differs, and ffmpeg rounds


@dataclass(frozen=True)
class Expected:
    """Spec 13.2 as a player sees the file."""

    extension: str
    container: str
    codec: str
    sample_rate: int
    channels: int
    kbps: int | None = None  # constant or average bit rate
    kbps_tolerance: float = 0.05  # relative
    sample_format: str | None = None


def _vbr(kbps: int) -> Expected:
    # LAME's documented averages; speech over a quiet bed codes a little differently from music.
    return Expected("mp3", "mp3", "mp3", 44100, 2, kbps, kbps_tolerance=0.35)


ENCODERS: dict[str, Expected] = {
    "mp3": Expected("mp3", "mp3", "mp3", 44100, 2, 320),
    "wav": Expected("wav", "wav", "pcm_s16le", 48000, 2, sample_format="s16"),
    "ogg": Expected("ogg", "ogg", "vorbis", 48000, 2, 320, kbps_tolerance=0.15),
    "flac": Expected("flac", "flac", "flac", 48000, 2, sample_format="s16"),
    "mp3_very_low": _vbr(64),
    "mp3_low": _vbr(115),
    "mp3_medium": _vbr(165),
    "mp3_high": _vbr(190),
    "mp3_very_high": _vbr(245),
    "mp3_alexa": Expected("mp3", "mp3", "mp3", 24000, 1, 48),
}
# Spec 13.3: integrated loudness (LUFS) and true-peak ceiling (dBTP), aliases included.
LOUDNESS: dict[str, tuple[float, float]] = {
    "podcast": (-16, -1),
    "streaming": (-14, -1),
    "spotify": (-14, -1),
    "apple": (-16, -1),
    "apple_podcasts": (-16, -1),
    "broadcast": (-23, -1),
    "ebu_r128": (-23, -1),
    "radio": (-23, -1),
    "atsc_a85": (-24, -2),
}
# (the mix's mastering preset, encoder preset, loudness preset)
ENCODES = [
    ("balanced", "mp3", "podcast"),
    ("balanced", "wav", "streaming"),
    ("balanced", "ogg", "broadcast"),
    ("balanced", "flac", "radio"),
    ("none", "mp3_very_low", "atsc_a85"),
    ("none", "mp3_low", "apple"),
    ("none", "mp3_medium", "spotify"),
    ("musicenhanced", "mp3_high", "ebu_r128"),
    ("musicenhanced", "mp3_very_high", "apple_podcasts"),
    ("musicenhanced", "mp3_alexa", "streaming"),
]
SMOKE_MIXES = {"balanced"}
SMOKE_ENCODES = {("balanced", "mp3", "podcast"), ("balanced", "ogg", "broadcast")}


@contextmanager
def sdk_pointed_at(url: str, key: str) -> Iterator[None]:
    """Point the SDK's module globals at a server, and put them back afterwards."""
    saved = audiostack.api_base, audiostack.api_key
    audiostack.api_base, audiostack.api_key = url, key
    try:
        yield
    finally:
        audiostack.api_base, audiostack.api_key = saved


@dataclass(frozen=True)
class Mixed:
    item: Any  # audiostack.Production.Mix.Item
    mix: Path
    tts_track: Path


@dataclass(frozen=True)
class Encoded:
    item: Any  # audiostack.Delivery.Encoder.Item
    path: Path


def decoded_seconds(path: Path) -> float:
    samples, rate = decode(path)
    return float(samples.shape[1] / rate)


@dataclass
class Studio:
    """Everything this module renders, made on first use and kept for the module."""

    url: str
    key: str
    backend: str
    folder: Path
    _speech: Any = None
    _mixes: dict[str, Mixed] = field(default_factory=dict)
    _encodes: dict[tuple[str, str, str], Encoded] = field(default_factory=dict)

    @contextmanager
    def sdk(self) -> Iterator[None]:
        with sdk_pointed_at(self.url, self.key):
            yield

    def only_on_sqlite(self) -> None:
        if self.backend != "sqlite":
            pytest.skip("the full matrix runs on SQLite; PostgreSQL runs the smoke set")

    @property
    def speech(self) -> Any:
        if self._speech is None:
            with self.sdk():
                script = audiostack.Content.Script.create(
                    scriptText=SCRIPT, projectName=f"e2e-mix-{uuid.uuid4().hex[:8]}"
                )
                self._speech = audiostack.Speech.TTS.create(scriptItem=script, voice="isaac")
                (self.folder / "speech").mkdir()
                self._speech.download(path=str(self.folder / "speech"))
        return self._speech

    def speech_files(self) -> list[Path]:
        names = [section["sectionName"] for section in self.speech.data["sections"]]
        return [self.folder / "speech" / f"{name}.wav" for name in names]

    def template(self) -> dict[str, Any]:
        with self.sdk():
            found = [t.data for t in audiostack.Production.Sound.Template.list()]
        return next(t for t in found if t["name"] == TEMPLATE)

    def mix(self, preset: str) -> Mixed:
        if preset not in self._mixes:
            speech = self.speech
            with self.sdk():
                item = audiostack.Production.Mix.create(
                    speechItem=speech,
                    soundTemplate=TEMPLATE,
                    masteringPreset=preset,
                    exportSettings={"ttsTrack": True},
                )
                folder = self.folder / f"mix-{preset}"
                folder.mkdir()
                item.download(path=str(folder))
            self._mixes[preset] = Mixed(item, folder / "mix.wav", folder / "tts_track.wav")
        return self._mixes[preset]

    def encode(self, mastering: str, encoder: str, loudness_preset: str) -> Encoded:
        key = (mastering, encoder, loudness_preset)
        if key not in self._encodes:
            mixed = self.mix(mastering)
            with self.sdk():
                item = audiostack.Delivery.Encoder.encode_mix(
                    productionItem=mixed.item, preset=encoder, loudnessPreset=loudness_preset
                )
                name = f"{mastering}-{encoder}-{loudness_preset}"
                item.download(fileName=name, path=str(self.folder))
            self._encodes[key] = Encoded(item, self.folder / f"{name}.{item.format}")
        return self._encodes[key]


@pytest.fixture(scope="module")
def studio(deployment: Any, tmp_path_factory: pytest.TempPathFactory) -> Studio:
    folder = tmp_path_factory.mktemp(f"sdk-production-{deployment.backend}")
    return Studio(deployment.url, deployment.api_key, deployment.backend, folder)


def assert_loudness_meets(path: Path, target: float, ceiling: float) -> None:
    measured = loudness(path)
    assert abs(measured.integrated - target) <= LOUDNESS_TOLERANCE, (
        f"{path.name}: {measured.integrated} LUFS, target {target}"
    )
    assert measured.true_peak <= ceiling + PEAK_TOLERANCE, (
        f"{path.name}: true peak {measured.true_peak} dBTP over the {ceiling} ceiling"
    )


# -- the preset tables ----------------------------------------------------------------------


def test_the_matrix_covers_every_preset_the_server_offers(client: httpx.Client) -> None:
    offered = ok(client.get("/delivery/encoder/presets"))
    assert {p["name"] for p in offered["presets"]} == set(ENCODERS)
    names = {p["name"] for p in offered["loudnessPresets"]}
    aliases = {a for p in offered["loudnessPresets"] for a in p.get("aliases", [])}
    assert names | aliases == set(LOUDNESS)
    assert {encoder for _, encoder, _ in ENCODES} == set(ENCODERS)
    assert {preset for _, _, preset in ENCODES} >= names
    presets = ok(client.get("/production/mix/presets"))["presets"]
    assert [p["name"] for p in presets] == list(MASTERING)
    assert {mastering for mastering, _, _ in ENCODES} <= set(MASTERING)


def test_the_sdk_lists_the_built_in_templates(studio: Studio) -> None:
    with studio.sdk():
        templates = [t.data for t in audiostack.Production.Sound.Template.list()]
        built_in = [t for t in templates if t["accessType"] == "public"]
        assert len(built_in) >= 8
        for template in built_in:
            assert template["segmentNames"][:3] == ["intro", "main", "outro"], template
            assert all(template["durations"][s] > 0 for s in template["segmentNames"])
        assert len({mood for t in built_in for mood in t["labels"]["moods"]}) >= 8
        genre = studio.template()["labels"]["genres"][0]
        by_genre = [t.data for t in audiostack.Production.Sound.Template.list(genres=genre)]
        assert TEMPLATE in [t["name"] for t in by_genre]
        assert all(genre in t["labels"]["genres"] for t in by_genre)


# -- mixes ------------------------------------------------------------------------------------


@pytest.mark.parametrize("preset", MASTERING)
def test_mix_with_each_mastering_preset(studio: Studio, preset: str) -> None:
    if preset not in SMOKE_MIXES:
        studio.only_on_sqlite()
    mixed = studio.mix(preset)
    data = mixed.item.data
    assert data["status"] == "completed"
    assert (data["masteringPreset"], data["soundTemplate"]) == (preset, TEMPLATE)
    assert data["speechId"] == studio.speech.speechId
    assert [f["kind"] for f in data["files"]] == ["mix", "ttsTrack"]

    for path in (mixed.mix, mixed.tts_track):
        found = probe(path)
        assert (found.container, found.codec, found.sample_format) == ("wav", "pcm_s16le", "s16")
        assert (found.sample_rate, found.channels) == (48000, 2)
    # Speech, after the lead-in, then the tail of music, then the outro as written.
    durations = studio.template()["durations"]
    speech = sum(decoded_seconds(path) for path in studio.speech_files())
    lead_in = min(durations["intro"], DEFAULT_LEAD_IN)
    expected = lead_in + speech + DEFAULT_TAIL + durations["outro"]
    seconds = decoded_seconds(mixed.mix)
    assert abs(seconds - expected) <= DURATION_TOLERANCE, (seconds, expected)
    assert abs(decoded_seconds(mixed.tts_track) - seconds) <= 0.001

    target = PRESETS[preset].target_lufs
    measured = loudness(mixed.mix)
    if target is not None:
        assert_loudness_meets(mixed.mix, target, PRESETS[preset].true_peak_dbtp)
    else:  # "none": no normalisation, clipping protection only
        assert measured.true_peak <= PRESETS[preset].true_peak_dbtp + PEAK_TOLERANCE
    # The server's own report agrees with the independent meter.
    assert abs(data["loudness"]["integrated"] - measured.integrated) <= 0.3
    assert abs(data["loudness"]["truePeak"] - measured.true_peak) <= 0.3


def _pause_frames(tracks: list[Path], start: float, end: float, frame: float = 0.05) -> list[float]:
    """Starts of the frames inside [start, end) where every speech track is silent."""
    decoded = [decode(path) for path in tracks]
    times = np.arange(start + frame, end - 2 * frame, frame)
    return [
        float(t)
        for t in times
        if all(level(samples, rate, t, t + frame) < -60 for samples, rate in decoded)
    ]


def test_heavier_ducking_pulls_the_bed_further_under_the_voice(studio: Studio) -> None:
    """The bed's level in speech pauses against its level before the first word.

    In a pause the mix is music only, still ducked (the ducker holds through short pauses), so
    lead-in minus pause is the music content's own difference plus the ducking depth; the
    unducked ``none`` mix gives the content's part, and the rest is the depth. Normalisation
    gains cancel, as both stretches come from the same mix.
    """
    studio.only_on_sqlite()
    presets = ("none", "lightducking", "balanced", "heavyducking")
    mixes = {preset: studio.mix(preset) for preset in presets}
    lead_in = min(studio.template()["durations"]["intro"], DEFAULT_LEAD_IN)
    speech_end = lead_in + sum(decoded_seconds(path) for path in studio.speech_files())
    pauses = _pause_frames([m.tts_track for m in mixes.values()], lead_in, speech_end)
    assert len(pauses) >= 4, "the speech should pause between its sentences"

    def lead_minus_pause(mixed: Mixed) -> float:
        samples, rate = decode(mixed.mix)
        in_pauses = np.concatenate(
            [samples[:, round(t * rate) : round((t + 0.05) * rate)] for t in pauses], axis=1
        )
        bed_alone = level(samples, rate, 0.25, lead_in - 0.25)
        return bed_alone - level(in_pauses, rate, 0, in_pauses.shape[1] / rate)

    baseline = lead_minus_pause(mixes["none"])
    depth = {p: lead_minus_pause(mixes[p]) - baseline for p in presets[1:]}
    assert 2.0 <= depth["lightducking"] < depth["balanced"] < depth["heavyducking"], depth
    assert depth["heavyducking"] - depth["lightducking"] >= 6.0, depth
    for preset, measured in depth.items():  # each near its preset's own depth
        assert abs(measured - PRESETS[preset].duck_depth_db) <= 2.0, (preset, measured)


def test_none_applies_no_loudness_normalisation(studio: Studio) -> None:
    """The ``none`` mix carries the speech at the level it was rendered at.

    Its speech track reads as loud as the rendered sections (+3.01 LU: the same mono signal
    on both channels), and inside the mix the speech is that track at unity gain (a least-
    squares fit of the mix on the track; the bed is uncorrelated with it), where a normalising
    preset scales the programme to its target. Only the clipping protection may take a little.
    """
    studio.only_on_sqlite()
    mixed = studio.mix("none")
    rendered = loudness(*studio.speech_files())
    track = loudness(mixed.tts_track)
    assert abs(track.integrated - (rendered.integrated + 10 * math.log10(2))) <= 0.3

    def gain_db(mix: Mixed) -> float:
        programme, _ = decode(mix.mix)
        speech, _ = decode(mix.tts_track)
        fit = float(np.sum(programme * speech) / np.sum(speech * speech))
        return 20 * math.log10(fit)

    assert -1.5 <= gain_db(mixed) <= 0.1, gain_db(mixed)
    whole = loudness(mixed.mix)
    assert abs(whole.integrated - track.integrated) <= 2.0
    # A normalising preset ends where its target says, whatever the speech's own level ...
    balanced = studio.mix("balanced")
    target = PRESETS["balanced"].target_lufs
    assert target is not None
    assert abs(loudness(balanced.mix).integrated - target) <= LOUDNESS_TOLERANCE
    # ... which this speech is not at, so a normalised "none" could not pass unnoticed.
    assert abs(whole.integrated - target) >= 1.0, "pick a speech not already at the target"
    assert abs(gain_db(balanced)) >= 1.0


def test_validate_only_through_the_sdk(studio: Studio) -> None:
    with studio.sdk():
        checked = audiostack.Production.Mix.create(
            speechItem=studio.speech,
            soundTemplate=TEMPLATE,
            masteringPreset="heavyDucking",  # the spelling in public examples
            validate=True,
        )
    assert checked.data["files"] == []
    assert checked.data["validation"] == {"valid": True, "errors": [], "warnings": []}
    assert checked.data["masteringPreset"] == "heavyducking"


# -- encodes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mastering", "encoder", "loudness_preset"),
    ENCODES,
    ids=[f"{e}-{lp}" for _, e, lp in ENCODES],
)
def test_encode_with_each_preset(
    studio: Studio, mastering: str, encoder: str, loudness_preset: str
) -> None:
    if (mastering, encoder, loudness_preset) not in SMOKE_ENCODES:
        studio.only_on_sqlite()
    expected = ENCODERS[encoder]
    encoded = studio.encode(mastering, encoder, loudness_preset)
    data = encoded.item.data
    assert data["status"] == "completed"
    assert (data["format"], data["preset"]) == (expected.extension, encoder)
    assert encoded.path.is_file()

    found = probe(encoded.path)
    assert (found.container, found.codec) == (expected.container, expected.codec)
    assert (found.sample_rate, found.channels) == (expected.sample_rate, expected.channels)
    if expected.sample_format:
        assert found.sample_format == expected.sample_format
    if expected.kbps:
        assert found.bit_rate is not None
        kbps = found.bit_rate / 1000
        assert abs(kbps / expected.kbps - 1) <= expected.kbps_tolerance, (kbps, expected.kbps)

    mix_seconds = decoded_seconds(studio.mix(mastering).mix)
    seconds = decoded_seconds(encoded.path)
    assert abs(seconds - mix_seconds) <= DURATION_TOLERANCE, (seconds, mix_seconds)

    target, ceiling = LOUDNESS[loudness_preset]
    assert_loudness_meets(encoded.path, target, ceiling)
    measured = loudness(encoded.path)
    assert abs(data["loudness"]["integrated"] - measured.integrated) <= 0.3
