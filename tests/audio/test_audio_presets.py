"""Encoder and loudness presets (spec 13.2, 13.3) and the checks on custom settings (13.1)."""

from __future__ import annotations

import pytest

from castwright.audio.presets import (
    ENCODER_PRESETS,
    LOUDNESS_PRESETS,
    EncoderSettings,
    LoudnessTarget,
    custom_encoder,
    custom_loudness,
    encoder_preset,
    list_presets,
    loudness_preset,
)
from castwright.errors import Invalid

# Spec 13.2, row by row: format, rate control, bit rate (kbps, or the LAME V level), sample
# rate, bit depth, channels.
SPEC_ENCODER_PRESETS = {
    "mp3": EncoderSettings("mp3", "constant", 320, 44_100, None, 2),
    "wav": EncoderSettings("wav", None, None, 48_000, 16, 2),
    "ogg": EncoderSettings("ogg", "constant", 320, 48_000, None, 2),
    "flac": EncoderSettings("flac", None, None, 48_000, 16, 2),
    "mp3_very_low": EncoderSettings("mp3", "variable", 9, 44_100, None, 2),
    "mp3_low": EncoderSettings("mp3", "variable", 6, 44_100, None, 2),
    "mp3_medium": EncoderSettings("mp3", "variable", 4, 44_100, None, 2),
    "mp3_high": EncoderSettings("mp3", "variable", 2, 44_100, None, 2),
    "mp3_very_high": EncoderSettings("mp3", "variable", 0, 44_100, None, 2),
    "mp3_alexa": EncoderSettings("mp3", "constant", 48, 24_000, None, 1),
}

# Spec 13.3: integrated LUFS, true-peak ceiling dBTP, loudness range LU.
SPEC_LOUDNESS_PRESETS = {
    "podcast": (-16, -1, 11),
    "streaming": (-14, -1, 11),
    "spotify": (-14, -1, 11),
    "apple": (-16, -1, 11),
    "apple_podcasts": (-16, -1, 11),
    "broadcast": (-23, -1, 15),
    "ebu_r128": (-23, -1, 15),
    "radio": (-23, -1, 8),
    "atsc_a85": (-24, -2, 15),
}


@pytest.mark.parametrize("name", SPEC_ENCODER_PRESETS)
def test_encoder_presets_are_the_spec_table(name: str) -> None:
    assert encoder_preset(name) == SPEC_ENCODER_PRESETS[name]


def test_there_are_no_undocumented_encoder_presets() -> None:
    assert set(ENCODER_PRESETS) == set(SPEC_ENCODER_PRESETS)


@pytest.mark.parametrize("name", SPEC_LOUDNESS_PRESETS)
def test_loudness_presets_are_the_spec_table(name: str) -> None:
    assert loudness_preset(name) == LoudnessTarget(*SPEC_LOUDNESS_PRESETS[name])


def test_preset_names_ignore_case_and_spaces() -> None:
    assert encoder_preset(" MP3_High ") == encoder_preset("mp3_high")
    assert loudness_preset("Podcast") == loudness_preset("podcast")


def test_unknown_encoder_preset_names_the_field_and_lists_valid_names() -> None:
    with pytest.raises(Invalid) as caught:
        encoder_preset("mp3_ultra")
    assert caught.value.field == "preset"
    assert "mp3_ultra" in caught.value.message
    for name in [*SPEC_ENCODER_PRESETS, "custom"]:
        assert name in caught.value.message


def test_unknown_loudness_preset_names_the_field_and_lists_valid_names() -> None:
    with pytest.raises(Invalid) as caught:
        loudness_preset("cinema")
    assert caught.value.field == "loudnessPreset"
    assert caught.value.status == 422
    for name in SPEC_LOUDNESS_PRESETS:
        assert name in caught.value.message


def test_list_presets_wire_shape() -> None:
    listed = list_presets()
    assert [p["name"] for p in listed["presets"]] == list(ENCODER_PRESETS)
    mp3 = listed["presets"][0]
    assert mp3 == {
        "name": "mp3",
        "format": "mp3",
        "description": mp3["description"],
        "bitRateType": "constant",
        "bitRate": 320,
        "sampleRate": 44_100,
        "bitDepth": None,
        "channels": 2,
    }
    assert isinstance(mp3["description"], str) and "320" in mp3["description"]
    for preset in listed["presets"]:
        assert set(preset) == {
            "name",
            "format",
            "description",
            "bitRateType",
            "bitRate",
            "sampleRate",
            "bitDepth",
            "channels",
        }
    loudness = {p["name"]: p for p in listed["loudnessPresets"]}
    assert set(loudness) == set(LOUDNESS_PRESETS)
    assert loudness["broadcast"]["loudnessTarget"] == -23
    assert loudness["broadcast"]["truePeak"] == -1
    assert loudness["broadcast"]["dynamicRange"] == 15
    assert loudness["broadcast"]["aliases"] == ["ebu_r128"]
    for preset in loudness.values():
        assert {"name", "loudnessTarget", "truePeak", "dynamicRange", "description"} <= set(preset)


# --- custom encoder settings ----------------------------------------------------------------


def test_custom_fields_override_the_preset_field_by_field() -> None:
    settings = custom_encoder(encoder_preset("mp3"), bit_rate=128, channels=1)
    assert settings == EncoderSettings("mp3", "constant", 128, 44_100, None, 1)


def test_the_sdk_sends_empty_strings_and_nones_for_fields_it_leaves_out() -> None:
    preset = encoder_preset("mp3_high")
    assert custom_encoder(preset, format="", bit_rate_type="", bit_rate=None) == preset


def test_custom_preset_needs_a_format() -> None:
    with pytest.raises(Invalid) as caught:
        custom_encoder(None, bit_rate=128)
    assert caught.value.field == "format"


def test_custom_preset_takes_the_formats_defaults() -> None:
    assert custom_encoder(None, format="wav") == encoder_preset("wav")
    assert custom_encoder(None, format="flac", bit_depth=24) == EncoderSettings(
        "flac", None, None, 48_000, 24, 2
    )


def test_numeric_strings_and_kilohertz_are_read() -> None:
    settings = custom_encoder(None, format="mp3", bit_rate="192", sample_rate="48", channels="1")
    assert (settings.bit_rate, settings.sample_rate, settings.channels) == (192, 48_000, 1)
    assert custom_encoder(None, format="wav", sample_rate=44.1).sample_rate == 44_100
    assert custom_encoder(None, format="wav", sample_rate=88200).sample_rate == 88_200


def test_switching_format_drops_what_the_new_format_cannot_use() -> None:
    # wav has no bit rate; mp3's 44.1 kHz and stereo carry over, 16-bit is wav's default.
    assert custom_encoder(encoder_preset("mp3_high"), format="wav") == EncoderSettings(
        "wav", None, None, 44_100, 16, 2
    )
    # Opus only at 48 kHz; the VBR level carries over.
    assert custom_encoder(encoder_preset("mp3_high"), format="opus") == EncoderSettings(
        "opus", "variable", 2, 48_000, None, 2
    )
    # A wav preset switched to mp3: mp3's own rate control, the wav's 48 kHz.
    assert custom_encoder(encoder_preset("wav"), format="mp3") == EncoderSettings(
        "mp3", "constant", 320, 48_000, None, 2
    )


def test_an_inherited_bit_rate_the_codec_cannot_carry_becomes_the_nearest_it_can() -> None:
    # libvorbis manages at most 240 kbps for mono at 48 kHz.
    assert custom_encoder(encoder_preset("ogg"), channels=1).bit_rate == 240


def test_a_bit_rate_of_the_other_kind_switches_the_rate_control() -> None:
    # 128 cannot be a quality level, so over a VBR preset it is kbps; 2 cannot be kbps.
    assert custom_encoder(encoder_preset("mp3_high"), bit_rate=128).bit_rate_type == "constant"
    assert custom_encoder(encoder_preset("mp3"), bit_rate=2).bit_rate_type == "variable"


def test_switching_rate_control_without_a_rate_takes_the_kinds_default() -> None:
    settings = custom_encoder(encoder_preset("mp3"), bit_rate_type="variable")
    assert (settings.bit_rate_type, settings.bit_rate) == ("variable", 2)
    settings = custom_encoder(encoder_preset("mp3_high"), bit_rate_type="constant")
    assert (settings.bit_rate_type, settings.bit_rate) == ("constant", 320)


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"format": "wma"}, "format", "wav, mp3, flac, ogg"),
        ({"bit_rate_type": "average"}, "bitRateType", "constant or variable"),
        ({"bit_rate_type": "constant", "bit_rate": 500}, "bitRate", "32 to 320"),
        ({"bit_rate_type": "constant", "bit_rate": 16}, "bitRate", "32 to 320"),
        ({"bit_rate_type": "constant", "bit_rate": 144}, "bitRate", "128, 160"),
        ({"bit_rate_type": "variable", "bit_rate": 10}, "bitRate", "0 to 9"),
        ({"bit_rate": 500}, "bitRate", "32 to 320"),
        ({"bit_rate": "fast"}, "bitRate", "number"),
        ({"bit_rate": 128.5}, "bitRate", "whole number"),
        ({"sample_rate": 22_050}, "sampleRate", "24000 to 96000"),
        ({"sample_rate": 96_000}, "sampleRate", "24000, 32000, 44100 or 48000"),
        ({"sample_rate": 44_100.5}, "sampleRate", "whole number"),
        ({"sample_rate": True}, "sampleRate", "number"),
        ({"channels": 6}, "channels", "1 or 2"),
        ({"channels": 0}, "channels", "1 or 2"),
        ({"bit_depth": 16}, "bitDepth", "only wav and flac"),
        ({"format": "wav", "bit_depth": 8}, "bitDepth", "16, 24 or 32"),
        ({"format": "flac", "bit_depth": 32}, "bitDepth", "16 or 24"),
        ({"format": "wav", "bit_rate": 320}, "bitRate", "lossless"),
        ({"format": "flac", "bit_rate_type": "constant"}, "bitRateType", "lossless"),
        ({"format": "opus", "sample_rate": 44_100}, "sampleRate", "48000"),
        ({"format": "opus", "channels": 1, "bit_rate": 320}, "bitRate", "256 kbps"),
        ({"format": "aac", "bit_rate_type": "variable"}, "bitRateType", "constant"),
        (
            {"format": "aac", "channels": 1, "sample_rate": 24_000, "bit_rate": 192},
            "bitRate",
            "144 kbps",
        ),
        ({"format": "ogg", "sample_rate": 96_000}, "sampleRate", "48000"),
        ({"format": "ogg", "channels": 1, "bit_rate": 320}, "bitRate", "32 to 240"),
    ],
)
def test_invalid_custom_settings_name_the_field(
    fields: dict[str, object], field: str, words: str
) -> None:
    with pytest.raises(Invalid) as caught:
        custom_encoder(encoder_preset("mp3"), **fields)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert caught.value.status == 422
    assert caught.value.message.startswith(f"{field}: ")
    assert words in caught.value.message


def test_mp3_at_24_khz_takes_only_mpeg2_bit_rates() -> None:
    alexa = encoder_preset("mp3_alexa")
    assert custom_encoder(alexa, bit_rate=160).bit_rate == 160
    with pytest.raises(Invalid, match="bitRate"):
        custom_encoder(alexa, bit_rate=192)


def test_every_mpeg1_bit_rate_is_accepted_at_44_1_khz() -> None:
    for kbps in (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320):
        assert custom_encoder(encoder_preset("mp3"), bit_rate=kbps).bit_rate == kbps


# --- custom loudness ------------------------------------------------------------------------


def test_custom_loudness_overrides_the_preset_field_by_field() -> None:
    target = custom_loudness(loudness_preset("podcast"), true_peak=-2)
    assert target == LoudnessTarget(-16, -2, 11)


def test_custom_loudness_without_a_preset_needs_a_target() -> None:
    assert custom_loudness(None, loudness_target="-18") == LoudnessTarget(-18, -1, None)
    with pytest.raises(Invalid) as caught:
        custom_loudness(None, true_peak=-1)
    assert caught.value.field == "loudnessTarget"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"loudness_target": -80}, "loudnessTarget"),
        ({"loudness_target": 0}, "loudnessTarget"),
        ({"true_peak": 1}, "truePeak"),
        ({"true_peak": -10}, "truePeak"),
        ({"dynamic_range": 0.5}, "dynamicRange"),
        ({"dynamic_range": 60}, "dynamicRange"),
        ({"loudness_target": "loud"}, "loudnessTarget"),
    ],
)
def test_custom_loudness_out_of_range_names_the_field(
    fields: dict[str, object], field: str
) -> None:
    with pytest.raises(Invalid) as caught:
        custom_loudness(loudness_preset("podcast"), **fields)  # type: ignore[arg-type]
    assert caught.value.field == field
